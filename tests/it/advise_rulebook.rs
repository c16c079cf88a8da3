//! The rulebook as data: it loads, every rule carries a citation, bad rulebooks are refused.

use casebench::rules::{GroundKind, Rulebook};

#[test]
fn builtin_rulebook_loads() {
    let rb = Rulebook::builtin();
    assert!(rb.grounds().len() >= 30, "{}", rb.grounds().len());
    assert_eq!(rb.origin, "built-in");
}

#[test]
fn no_rule_lacks_a_citation() {
    let rb = Rulebook::builtin();
    for g in rb.grounds() {
        assert!(
            !g.citation.trim().is_empty(),
            "ground {} has no citation",
            g.code
        );
        assert!(
            !g.describe.trim().is_empty(),
            "ground {} has no description",
            g.code
        );
        assert!(!g.invalid_reason.trim().is_empty(), "ground {}", g.code);
    }
    for f in &rb.file.findings {
        assert!(
            !f.citation.trim().is_empty(),
            "finding {} has no citation",
            f.code
        );
    }
    for s in &rb.file.states {
        for (what, c) in s.citations() {
            assert!(
                !c.trim().is_empty(),
                "state {} {what} has no citation",
                s.code
            );
        }
        if let Some(d) = &s.duty_to_warn {
            assert!(
                !d.recipients.is_empty(),
                "state {} lists no recipients",
                s.code
            );
        }
    }
}

/// Every code of RULEBOOK.md's three tables is in the data, with the right kind.
#[test]
fn every_rulebook_code_is_defined() {
    let rb = Rulebook::builtin();
    let withholding = [
        "psychotherapy-notes",
        "litigation-material",
        "correctional-safety",
        "research-suspension",
        "privacy-act",
        "confidential-source",
        "danger-to-life",
        "harm-to-referenced-person",
        "harm-via-representative",
        "representative-abuse-concern",
        "minor-controls-record",
        "part2-consent-required",
        "outside-order-scope",
        "subpoena-without-assurance",
        "not-covered-by-instrument",
        "minor-objects-to-parent",
    ];
    let ask = [
        "law-enforcement-process-required",
        "no-valid-authorization",
        "authorization-defective",
        "incomplete-request",
        "facts-unknown",
    ];
    let disclosure = [
        "right-of-access",
        "patient-authorization",
        "patient-direction",
        "court-order",
        "subpoena-with-assurance",
        "serious-threat",
        "state-duty-to-warn",
        "child-abuse-report",
        "adult-abuse-report",
        "law-enforcement",
        "family-involved-in-care",
        "decedent-over-50-years",
        "treatment",
        "business-associate",
        "medical-emergency",
        "required-by-law",
    ];
    let never = ["lack-of-consent", "emotional-distress", "clia"];
    for (codes, kind) in [
        (&withholding[..], GroundKind::Withholding),
        (&ask[..], GroundKind::RequestInformation),
        (&disclosure[..], GroundKind::Disclosure),
        (&never[..], GroundKind::NeverValid),
    ] {
        for code in codes {
            let g = rb.ground(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(g.kind, kind, "{code}");
        }
    }
    assert_eq!(rb.grounds().len(), 40);
    for code in [
        "invalid-ground",
        "deadline-missed",
        "deadline-near",
        "extension-invalid",
        "whole-record-denial",
        "harm-not-licensed",
        "reviewer-participated",
        "notice-incomplete",
        "information-blocking-risk",
        "accounting-required",
        "mandatory-report",
        "duty-to-warn",
        "minimum-necessary",
        "part2-restriction",
        "release-not-permitted",
        "release-against-advice",
        "question-open",
        "decided-on-unknown",
        "evaluation-pending",
        "fee-not-permitted",
        "fee-not-disclosed-in-advance",
        "form-format-not-provided",
    ] {
        assert!(rb.finding(code).is_some(), "finding {code} missing");
    }
}

#[test]
fn reviewable_grounds_are_the_a3_ones() {
    let rb = Rulebook::builtin();
    let reviewable: Vec<&str> = rb
        .grounds()
        .iter()
        .filter(|g| g.reviewable())
        .map(|g| g.code.as_str())
        .collect();
    assert_eq!(
        reviewable,
        [
            "danger-to-life",
            "harm-to-referenced-person",
            "harm-via-representative"
        ]
    );
}

fn replace(from: &str, to: &str) -> String {
    let src = Rulebook::builtin_source();
    assert!(
        src.contains(from),
        "fixture text `{from}` not in the rulebook"
    );
    src.replacen(from, to, 1)
}

#[test]
fn a_rule_without_citation_is_refused() {
    let src = replace("citation: 45 CFR 164.524(a)(1)(ii)\n", "citation: \"\"\n");
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(
        err.contains("litigation-material") && err.contains("citation"),
        "{err}"
    );
}

#[test]
fn an_unknown_fact_is_refused_with_a_hint() {
    let src = replace(
        "fact: record.kept_separately",
        "fact: record.kept_seperately",
    );
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(err.contains("record.kept_seperately"), "{err}");
    assert!(
        err.contains("did you mean `record.kept_separately`"),
        "{err}"
    );
}

#[test]
fn an_unknown_fact_value_is_refused() {
    let src = replace("is: psychotherapy_notes }", "is: psychotherapy_note }");
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(err.contains("psychotherapy_note"), "{err}");
}

#[test]
fn an_unknown_key_is_refused_with_its_position() {
    let src = replace("    review: none\n", "    reveiw: none\n");
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(err.starts_with("test:"), "{err}");
    assert!(err.contains("reveiw"), "{err}");
}

#[test]
fn a_longer_state_deadline_is_refused() {
    let src = replace("access_days: 15\n", "access_days: 45\n");
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(err.contains("access_days 45"), "{err}");
}

#[test]
fn a_missing_engine_ground_is_refused() {
    let src = replace("- code: clia\n", "- code: clia-old\n")
        .replace("- code: lack-of-consent\n", "- code: lack-of-consent-x\n");
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(err.contains("lack-of-consent"), "{err}");
}

#[test]
fn unlisted_state_falls_back_to_us() {
    let rb = Rulebook::builtin();
    let s = rb.state("US-HI");
    assert_eq!(s.code, "US");
    assert!(!s.checked);
    let ca = rb.state("US-CA");
    assert!(ca.checked);
    assert_eq!(ca.duty_category(), "mandatory_statute");
    assert_eq!(ca.parent_access(), "restricted");
    // Filled from US where California says nothing.
    assert_eq!(ca.adult_reporting(), "mandatory");
    let tx = rb.state("US-TX");
    assert!(!tx.victim_allowed());
}

/// docs/RULES.md documents every fact a condition may use.
#[test]
fn rules_doc_lists_every_fact() {
    let doc = std::fs::read_to_string("docs/RULES.md").unwrap();
    for f in casebench::rules::facts::FACTS {
        assert!(
            doc.contains(&format!("`{}`", f.name)),
            "docs/RULES.md lacks {}",
            f.name
        );
    }
}

/// The decision form's grounds picker shows each ground in one line of plain language:
/// the built-in rulebook gives every ground one, short enough for an 80-column screen.
#[test]
fn every_ground_has_a_one_line_meaning() {
    for g in Rulebook::builtin().grounds() {
        let m = g.meaning.trim();
        assert!(!m.is_empty(), "ground {} has no `meaning`", g.code);
        assert!(
            m.chars().count() <= 70,
            "ground {}: meaning is {} characters: {m}",
            g.code,
            m.chars().count()
        );
        assert_eq!(g.meaning_line(), g.meaning);
    }
}

#[test]
fn a_meaning_is_one_line_and_optional_in_a_clinics_rulebook() {
    let src = replace(
        "    meaning: Psychotherapy notes kept apart are outside the right of access\n",
        "    meaning: \"two\\nlines\"\n",
    );
    let err = Rulebook::from_yaml(&src, "test").unwrap_err().to_string();
    assert!(
        err.contains("psychotherapy-notes") && err.contains("one line"),
        "{err}"
    );
    // Without one, the picker shows the description instead.
    let src = replace(
        "    meaning: Psychotherapy notes kept apart are outside the right of access\n",
        "",
    );
    let rb = Rulebook::from_yaml(&src, "test").unwrap();
    let g = rb.ground("psychotherapy-notes").unwrap();
    assert_eq!(g.meaning_line(), g.describe);
}
