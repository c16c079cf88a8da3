//! The findings about deadlines, information blocking and disclosures (reports, warnings,
//! accounting, minimum necessary, Part 2). Pure.

use chrono::NaiveDate;

use super::engine::{Engine, report_mandatory};
use super::facts::Value;
use super::findings::{Out, Proposal, Withheld};
use super::model::GroundKind;
use crate::case::model::{ConcernKind, Outcome, RecordCategory, RecordItem};
use crate::rules::deadline::{ExtensionProblem, Status};

pub(super) fn deadline_findings(eng: &Engine, today: NaiveDate, out: &mut Out) {
    let dl = eng.deadline(today);
    let period = match dl.access_days {
        Some(days) if days != crate::rules::deadline::ACCESS_DAYS || dl.day_unit != "calendar" => {
            format!(" ({} allows {days} {} days)", eng.state.name, dl.day_unit)
        }
        _ => String::new(),
    };
    if let Some(problem) = dl.extension_problem
        && let Some(ext) = eng
            .case()
            .request
            .as_ref()
            .and_then(|r| r.extension.as_ref())
    {
        let original = dl.original_due.map_or(String::new(), |d| d.to_string());
        let day = (ext.notice_sent - eng.case().received).num_days();
        let msg = match problem {
            ExtensionProblem::NoticeLate => Some(format!(
                "the extension notice was sent on {} (day {day}), after the period ended on {original}{period}; it does not count and the due date stays {original}",
                ext.notice_sent,
            )),
            ExtensionProblem::TooLong => Some(format!(
                "the extension to {} adds more than the law allows{period}; it does not count and the due date stays {original}",
                ext.new_due
            )),
            ExtensionProblem::NotLater => Some(format!(
                "the extension's new date {} is not after the original due date; it does not count",
                ext.new_due
            )),
            ExtensionProblem::NoReason => Some(format!(
                "the extension notice of {} gives no reason for the delay; a notice must state the reasons and the date (164.524(b)(2)(ii)), so it does not count and the due date stays {original}",
                ext.notice_sent
            )),
            ExtensionProblem::StateNoExtension => Some(format!(
                "{}'s own period{period} has no extension, and a federal extension cannot carry the answer past it (160.203(b)); the due date stays {original}",
                eng.state.name
            )),
            // A third party's request has no 164.524 clock to extend: nothing is wrong.
            ExtensionProblem::NoAccessClock => None,
        };
        if let Some(msg) = msg {
            out.add("extension-invalid", msg, None);
        }
    }
    let (Some(due), Some(left)) = (dl.due, dl.days_left) else {
        return;
    };
    let cite = Some(dl.citation.as_str());
    match dl.status {
        Status::Overdue => out.add(
            "deadline-missed",
            format!("due {due}{period}; {} day(s) late as of {today}", -left),
            cite,
        ),
        Status::DueSoon => out.add(
            "deadline-near",
            format!("due {due}{period}; {left} day(s) left"),
            cite,
        ),
        _ => {}
    }
}

pub(super) fn is_ehi(rec: &RecordItem) -> bool {
    // Psychotherapy notes and litigation material are not EHI (45 CFR 171.102).
    !matches!(
        rec.category,
        RecordCategory::PsychotherapyNotes | RecordCategory::LitigationMaterial
    )
}

pub(super) fn blocking_findings(eng: &Engine, p: &Proposal, withheld: &[Withheld], out: &mut Out) {
    if eng.view.get("requester.third_party", None) != Some(Value::Bool(false)) {
        return;
    }
    for (rec, codes) in withheld {
        let fits = codes
            .iter()
            .filter_map(|c| eng.rb.ground(c))
            .any(|g| g.kind == GroundKind::Withholding && eng.holds(g, Some(rec)));
        if is_ehi(rec) && !fits {
            out.add(
                "information-blocking-risk",
                format!(
                    "withholding `{}` from the patient's own request without a ground that fits an exception (such as Preventing Harm, 171.201) is likely information blocking",
                    rec.id
                ),
                None,
            );
        }
    }
    let holds_back = matches!(
        p.outcome,
        Outcome::RequestInformation | Outcome::MaintainConfidentiality
    );
    let asks = p.grounds.iter().any(|c| {
        eng.rb
            .ground(c)
            .is_some_and(|g| g.kind == GroundKind::RequestInformation && eng.holds(g, None))
    });
    if holds_back && !asks {
        out.add(
            "information-blocking-risk",
            format!(
                "`{}` delays a complete, verified request of the patient or representative without a ground",
                p.outcome
            ),
            None,
        );
    }
}

pub(super) fn disclosure_findings(eng: &Engine, p: &Proposal, out: &mut Out) {
    let case = eng.case();
    let concern = case.concern.as_ref().map(|c| c.kind);
    let disclosure_512 = eng.rb.discloses_under_512(p.outcome, &p.grounds);
    if disclosure_512 {
        out.add(
            "accounting-required",
            format!(
                "`{}` is a 164.512 disclosure: enter it in the accounting of disclosures (date, recipient and address, description, purpose)",
                p.outcome
            ),
            None,
        );
        let required = report_mandatory(eng);
        out.add(
            "minimum-necessary",
            if required {
                "disclose only what the reporting law requires".into()
            } else {
                "disclose only the minimum necessary for the purpose".into()
            },
            None,
        );
    }
    // Mandatory reports. A state's mandated report of a threat (required-by-law) is
    // made with the warning as well as alone.
    let threat_report = matches!(
        concern,
        Some(ConcernKind::ThreatToOthers | ConcernKind::ThreatToSelf)
    ) && p.outcome == Outcome::WarnAndProtect;
    if report_mandatory(eng) && p.outcome != Outcome::Report && !threat_report {
        let cite = match concern {
            Some(ConcernKind::ChildAbuse) => eng
                .rb
                .ground("child-abuse-report")
                .map(|g| g.citation.clone()),
            Some(ConcernKind::ElderAbuse | ConcernKind::VulnerableAdultAbuse) => eng
                .state
                .adult_abuse_reporting
                .as_ref()
                .map(|a| a.citation.clone()),
            _ => eng
                .state
                .mandated_report
                .as_ref()
                .map(|m| m.citation.clone()),
        };
        out.add(
            "mandatory-report",
            format!(
                "the law requires a report of this {} concern; `{}` does not make one",
                concern.map_or(String::new(), |k| super::engine::snake(&k)
                    .replace('_', " ")),
                p.outcome
            ),
            cite.as_deref(),
        );
    }
    // Duty to warn or protect, and who may be told.
    let threat = matches!(
        concern,
        Some(ConcernKind::ThreatToOthers | ConcernKind::ThreatToSelf)
    );
    let duty_cite = eng.state.duty_to_warn.as_ref().map(|d| d.citation.clone());
    if threat && eng.holds_code("state-duty-to-warn", None) && p.outcome != Outcome::WarnAndProtect
    {
        out.add(
            "duty-to-warn",
            format!(
                "{} has a mandatory duty to warn or protect: {}; `{}` does not discharge it",
                eng.state.name,
                eng.state
                    .duty_to_warn
                    .as_ref()
                    .map_or("", |d| d.discharge.as_str()),
                p.outcome
            ),
            duty_cite.as_deref(),
        );
    }
    if threat && p.outcome == Outcome::WarnAndProtect && !eng.state.victim_allowed() {
        let allowed: Vec<&str> = eng.state.recipients().iter().map(|r| r.words()).collect();
        let to_self = concern == Some(ConcernKind::ThreatToSelf);
        out.add(
            "duty-to-warn",
            format!(
                "{} permits this disclosure only to {}, not a warning to {} directly; use `report`",
                eng.state.name,
                allowed.join(" or "),
                if to_self { "family" } else { "the victim" }
            ),
            Some(&super::engine::threat_citation(case, eng.state)),
        );
    }
    // 42 CFR Part 2: the program's own records, or Part 2 records the disclosure includes.
    let part2 = eng.view.get("concern.part2_records", None) == Some(Value::Bool(true));
    if part2 {
        part2_concern_findings(eng, p, out);
    }
    if part2 {
        if threat && matches!(p.outcome, Outcome::WarnAndProtect | Outcome::Report) {
            out.add(
                "part2-restriction",
                "Part 2 has no general serious-threat exception: warn without identifying the patient as receiving SUD treatment, or use a medical-emergency disclosure (2.51)".into(),
                Some("42 CFR 2.12, 2.13, 2.51"),
            );
        }
        if matches!(
            concern,
            Some(ConcernKind::ElderAbuse | ConcernKind::VulnerableAdultAbuse)
        ) && p.outcome == Outcome::Report
        {
            out.add(
                "part2-restriction",
                "Part 2 allows reports of child abuse only (2.12(c)(6)); an adult-abuse report must not identify the patient as an SUD patient".into(),
                Some("42 CFR 2.12(c)(6), 2.13"),
            );
        }
    }
}

/// Part 2 records in a disclosure that needs no request: treatment and a business
/// associate need the patient's consent (or a QSO agreement); a state-mandated report has
/// no Part 2 exception (only the initial child-abuse report does, 2.12(c)(6)).
fn part2_concern_findings(eng: &Engine, p: &Proposal, out: &mut Out) {
    use crate::rules::model::Severity;
    let concern = eng.case().concern.as_ref().map(|c| c.kind);
    let consent = eng.view.get("concern.part2_consent", None) == Some(Value::Bool(true));
    let discloses = matches!(
        p.outcome,
        Outcome::ReleaseFull | Outcome::ReleasePartial | Outcome::WarnAndProtect | Outcome::Report
    );
    if !discloses {
        return;
    }
    match concern {
        Some(ConcernKind::Treatment) if !consent => out.add_raised(
            "part2-restriction",
            "Part 2 records go to another provider for treatment only with the patient's written consent (a single consent may cover all future treatment, payment and operations); HIPAA's treatment permission (164.506(c)(2)) does not reach them".into(),
            Some("42 CFR 2.31, 2.33(a)"),
            Some(Severity::Error),
        ),
        Some(ConcernKind::BusinessAssociate)
            if !consent
                && eng.view.get("concern.recipient", None)
                    != Some(Value::s("qualified_service_organization")) =>
        {
            out.add_raised(
                "part2-restriction",
                "Part 2 records go to a service provider without consent only as a qualified service organization under a QSO agreement (2.11, 2.12(c)(4)); a business associate agreement alone does not make one".into(),
                Some("42 CFR 2.11, 2.12(c)(4)"),
                Some(Severity::Error),
            )
        }
        Some(ConcernKind::RequiredByLaw) => out.add(
            "part2-restriction",
            "Part 2 has no exception for a state-mandated report other than the initial report of child abuse (2.12(c)(6)): report without identifying the patient as receiving SUD treatment, or with the patient's consent".into(),
            Some("42 CFR 2.12(c)(6), 2.13"),
        ),
        Some(ConcernKind::MedicalEmergency) => out.add(
            "part2-restriction",
            "a medical-emergency disclosure of Part 2 records goes to medical personnel only, as far as the emergency needs, and is documented in the patient's record: the recipient's name and affiliation, who disclosed, the date and time, and the nature of the emergency".into(),
            Some("42 CFR 2.51"),
        ),
        _ => {}
    }
}
