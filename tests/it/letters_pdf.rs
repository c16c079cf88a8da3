//! Issue 25 (letters) and issue 23 (notices written for their addressee): the denial,
//! partial denial and review-result letters and the accounting of disclosures, as PDF
//! and HTML, from records written by the real `casebench decide`. Each PDF is rendered
//! to an image by `pdftoppm` (it must draw ink) and its text read back by `pdftotext`:
//! every 164.524(d)(2) element is there, in the words for its addressee.
//!
//! Needs poppler-utils (`.ci/run` installs it); without it these tests say so and stop.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::audit::*;

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// poppler's tools, or a message and `false`.
fn poppler() -> bool {
    let ok = have("pdftotext") && have("pdftoppm");
    if !ok {
        eprintln!(
            "SKIPPED: pdftotext/pdftoppm not found (apt-get install poppler-utils; .ci/run does)"
        );
    }
    ok
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letters")
}

/// The audit fixture's log (five records) plus the four addressee cases, decided:
/// 6 parent (AR-2026-0401), 7 representative (0402), 8 executor (0403), 9 third party
/// (0404). Each withholds a chart item, so the letter names "part of ... clinical record".
fn letters_env() -> Env {
    let env = Env::new();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, env.cases.join(p.file_name().unwrap())).unwrap();
        }
    }
    build_log(&env);
    for case in ["AR-2026-0401", "AR-2026-0402", "AR-2026-0403"] {
        env.decide(
            A,
            TODAY,
            &[
                case,
                "--outcome",
                "release_partial",
                "--ground",
                "right-of-access",
                "--withhold",
                "crisis-note=danger-to-life",
                "--rationale",
                "The crisis note names where the means are kept.",
            ],
        );
    }
    env.decide(
        A,
        TODAY,
        &[
            "AR-2026-0404",
            "--outcome",
            "deny",
            "--withhold",
            "chart=danger-to-life",
            "--withhold",
            "crisis-note=danger-to-life",
            "--override",
            "invalid-ground=Dr. P. Nair's determination of 2026-03-04 covers the whole chart",
            "--rationale",
            "Withheld in full on the licensed determination.",
        ],
    );
    env
}

/// Runs `casebench notice SEQ --format F -o FILE` (or `audit ARGS`), asserting success.
fn write(env: &Env, args: &[&str], file: &str) -> PathBuf {
    let out = env.tmp.path().join(file);
    let o = env
        .cmd(TODAY)
        .args(args)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    out
}

/// The PDF's text, whitespace collapsed (lines wrap anywhere).
fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext: {}", stderr(&o));
    stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders page 1 to a greyscale image and checks it carries ink (text was drawn).
fn assert_renders(pdf: &Path) {
    let prefix = pdf.with_extension("");
    let o = Command::new("pdftoppm")
        .args(["-r", "40", "-gray", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftoppm: {}", stderr(&o));
    let pgm = std::fs::read_dir(prefix.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "pgm")
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&*prefix.file_name().unwrap().to_string_lossy())
        })
        .expect("pdftoppm wrote a page image");
    let bytes = std::fs::read(&pgm).unwrap();
    assert!(bytes.starts_with(b"P5"), "a PGM image");
    // Header: P5, width, height, maxval, each followed by whitespace.
    let mut fields = 0;
    let mut at = 0;
    while fields < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields += 1;
    }
    let pixels = &bytes[at + 1..];
    let dark = pixels.iter().filter(|&&p| p < 128).count();
    assert!(
        dark > pixels.len() / 200,
        "{}: the page is almost blank ({dark} dark pixels of {})",
        pdf.display(),
        pixels.len()
    );
}

const OCR: [&str; 3] = [
    "Office for Civil Rights, 200 Independence Avenue SW, Washington, DC 20201",
    "1-800-368-1019",
    "www.hhs.gov/ocr/complaints",
];

/// Every element of 164.524(d)(2) for a denial, on the letterhead, dated `day` (the
/// record's own day: a notice carries the real date, never `--today`).
fn assert_denial_elements(t: &str, day: &str) {
    // The letterhead: the entity, its address and the privacy contact.
    assert!(t.contains("Harbor Audit Clinic"), "{t}");
    assert!(t.contains("2 Ledger Lane, Testville, OH 44001"), "{t}");
    assert!(t.contains("Privacy Officer, telephone 555-0142"), "{t}");
    assert!(t.contains("Response to your request for records"), "{t}");
    assert!(t.contains(&format!("Date: {day}")), "{t}");
    // (i) the basis, with its citation.
    assert!(t.contains("What we are not providing, and why"), "{t}");
    assert!(t.contains("(45 CFR 164.524(a)(3)(i)"), "{t}");
    // (ii) review rights and how to use them (the ground is reviewable).
    assert!(
        t.contains("You may ask us to have the decision to withhold these items reviewed"),
        "{t}"
    );
    assert!(
        t.contains("did not take part in the original decision"),
        "{t}"
    );
    assert!(
        t.contains("To ask for a review, write to the Privacy Officer, Harbor Audit Clinic, telephone 555-0142."),
        "{t}"
    );
    // (iii) both complaint routes, with the contact's title and telephone.
    assert!(
        t.contains(
            "complain to us: contact the Privacy Officer, Harbor Audit Clinic, telephone 555-0142"
        ),
        "{t}"
    );
    for o in OCR {
        assert!(t.contains(o), "{o}: {t}");
    }
    assert!(t.contains("page 1 of"), "{t}");
}

#[test]
fn patient_letters_carry_every_element() {
    if !poppler() {
        return;
    }
    let env = letters_env();
    // Record 2: reviewable partial denial to the patient herself.
    let pdf = write(&env, &["notice", "2", "--format", "pdf"], "n2.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    assert_renders(&pdf);
    let t = pdf_text(&pdf);
    assert_denial_elements(&t, &env.record_day(2));
    assert!(t.contains("To: J. Alvarez, \"Jo\""), "{t}");
    assert!(t.contains("We received your request on 2026-02-01."), "{t}");
    assert!(t.contains("part of your clinical record:"), "{t}");
    assert!(
        t.contains("If you believe your rights have been violated"),
        "{t}"
    );
    assert!(
        !t.contains("You asked as"),
        "no standing sentence for the patient: {t}"
    );
    // R31: the withheld note is never described.
    assert!(!t.contains("lethal means"), "{t}");
    // (d)(1): everything else is provided.
    assert!(
        t.contains("We are giving you everything you asked for except"),
        "{t}"
    );

    // Record 1: unreviewable (psychotherapy notes): no review right, said plainly.
    let t = pdf_text(&write(
        &env,
        &["notice", "1", "--format", "pdf", "--paper", "a4"],
        "n1.pdf",
    ));
    assert!(t.contains("The law does not give a right to have the decision reviewed for: psychotherapy notes (45 CFR 164.524(a)(1)-(2))."), "{t}");
    for o in OCR {
        assert!(t.contains(o), "{o}: {t}");
    }

    // The same letter as HTML: one file, the same words, escaped.
    let html =
        std::fs::read_to_string(write(&env, &["notice", "2", "--format", "html"], "n2.html"))
            .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("J. Alvarez, &quot;Jo&quot;"), "{html}");
    assert!(html.contains("Content-Security-Policy"), "{html}");
    assert!(html.contains("You may ask us to have the decision to withhold these items reviewed"));
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("src=\"http") && !html.contains("href="),
        "no external resource"
    );
}

/// Issue 23: "A denial notice to a father says 'part of your clinical record' about his
/// son's records." One test per addressee, each on the PDF's own text.
fn addressee_letter(seq: &str) -> String {
    let env = letters_env();
    let pdf = write(
        &env,
        &["notice", seq, "--format", "pdf"],
        &format!("n{seq}.pdf"),
    );
    assert_renders(&pdf);
    let t = pdf_text(&pdf);
    assert_denial_elements(&t, &env.record_day(seq.parse().unwrap()));
    // The text notice is the same letter.
    let o = env.cmd(TODAY).args(["notice", seq]).output().unwrap();
    let text = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("part of "), "{text}");
    t
}

#[test]
fn a_parent_reads_about_their_child() {
    if !poppler() {
        return;
    }
    let t = addressee_letter("6");
    assert!(t.contains("To: R. Castillo"), "{t}");
    assert!(
        t.contains("We received your request for your child's records on 2026-03-02."),
        "{t}"
    );
    assert!(
        t.contains("You asked as the parent of a minor patient"),
        "{t}"
    );
    assert!(t.contains("part of your child's clinical record:"), "{t}");
    assert!(!t.contains("part of your clinical record"), "{t}");
    assert!(
        t.contains("If you believe your rights or your child's have been violated"),
        "{t}"
    );
}

#[test]
fn a_personal_representative_reads_about_the_patient() {
    if !poppler() {
        return;
    }
    let t = addressee_letter("7");
    assert!(t.contains("To: T. Okafor"), "{t}");
    assert!(t.contains("your request for the patient's records"), "{t}");
    assert!(
        t.contains("You asked as the patient's personal representative"),
        "{t}"
    );
    assert!(t.contains("part of the patient's clinical record:"), "{t}");
    assert!(!t.contains("part of your clinical record"), "{t}");
}

#[test]
fn an_executor_reads_about_the_deceased_patient() {
    if !poppler() {
        return;
    }
    let t = addressee_letter("8");
    assert!(t.contains("To: L. Brandt, executor"), "{t}");
    assert!(
        t.contains("your request for the deceased patient's records"),
        "{t}"
    );
    assert!(
        t.contains("executor or administrator of the deceased patient's estate"),
        "{t}"
    );
    assert!(
        t.contains("part of the deceased patient's clinical record:"),
        "{t}"
    );
    assert!(t.contains("your rights or the deceased patient's"), "{t}");
    assert!(!t.contains("part of your clinical record"), "{t}");
}

#[test]
fn a_third_party_reads_about_the_patient() {
    if !poppler() {
        return;
    }
    let t = addressee_letter("9");
    assert!(t.contains("To: Q. Hale, Esq."), "{t}");
    assert!(t.contains("as someone other than the patient"), "{t}");
    assert!(
        t.contains("part of the patient's clinical record (1 of 2):"),
        "{t}"
    );
    assert!(!t.contains("your clinical record"), "{t}");
}

#[test]
fn a_review_result_letter() {
    if !poppler() {
        return;
    }
    let env = letters_env();
    env.decide(
        B,
        TODAY,
        &[
            "AR-2026-0401",
            "--type",
            "review",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "crisis-note=danger-to-life",
            "--rationale",
            "Upheld: the risk persists.",
        ],
    );
    let pdf = write(&env, &["notice", "10", "--format", "pdf"], "review.pdf");
    assert_renders(&pdf);
    let t = pdf_text(&pdf);
    assert!(t.contains("Result of the review you asked for"), "{t}");
    assert!(t.contains("review record 10 of decision record 6"), "{t}");
    assert!(t.contains("Dr. B. Osei, a licensed health care professional who did not take part in the original decision"), "{t}");
    assert!(
        t.contains("We are bound by the result (45 CFR 164.524(d)(4))."),
        "{t}"
    );
    assert!(
        t.contains("You asked as the parent of a minor patient"),
        "{t}"
    );
    assert!(t.contains("part of your child's clinical record:"), "{t}");
    assert!(
        t.contains("the law does not provide a further review"),
        "{t}"
    );
    for o in OCR {
        assert!(t.contains(o), "{o}: {t}");
    }
}

/// Every word of `phrase` appears in `text`, in order (other words may come between).
fn words_in_order(text: &str, phrase: &str) -> bool {
    let mut rest = text;
    for w in phrase.split_whitespace() {
        match rest.find(w) {
            Some(i) => rest = &rest[i + w.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn the_accounting_of_disclosures_as_a_letter() {
    if !poppler() {
        return;
    }
    let env = letters_env();
    let pdf = write(
        &env,
        &[
            "audit",
            "--accounting",
            "--patient",
            "P-90304",
            "--format",
            "pdf",
        ],
        "acc.pdf",
    );
    assert_renders(&pdf);
    let t = pdf_text(&pdf);
    assert!(
        t.contains("Accounting of disclosures of your health information"),
        "{t}"
    );
    // The period runs to the newest record or the real day, never to `--today`.
    let (from, end) = env.period();
    assert!(
        t.contains(&format!(
            "disclosures of the health information of patient P-90304, {from} to {end}"
        )),
        "{t}"
    );
    // 164.528(b)(2): date, recipient and address, description, purpose; both entries.
    // A table cell wraps, and pdftotext reads wrapped cells side by side: each cell's
    // words must appear in order.
    for cell in [
        "Jane Doe (the named victim)",
        "44 Oak Ave, Testville, OH",
        "The threat, its timing, the patient's name",
        "Warn the identified victim (serious and imminent threat)",
        "Testville Police Department",
        "1 Civic Plaza, Testville, OH",
        "The threat and the patient's name and address",
        "Report to law enforcement under the duty to protect",
    ] {
        assert!(words_in_order(&t, cell), "{cell}: {t}");
    }
    // Each entry is dated the day its record was signed.
    let first = format!(
        "Date Who received it Their address What was disclosed Why {}",
        env.record_day(4)
    );
    for want in [
        first.as_str(),
        "2 disclosure(s) in all.",
        "The first accounting you ask for in any 12 months is free (45 CFR 164.528(c)(2))",
        "complain to us: contact the Privacy Officer, Harbor Audit Clinic, telephone 555-0142",
    ] {
        assert!(t.contains(want), "{want}: {t}");
    }
    // The patient's own access (excluded, 164.528(a)(1)) is not listed to the patient.
    let t1 = pdf_text(&write(
        &env,
        &[
            "audit",
            "--accounting",
            "--patient",
            "P-90301",
            "--format",
            "pdf",
        ],
        "acc1.pdf",
    ));
    assert!(
        t1.contains("To: M. Reyes"),
        "named from her own request: {t1}"
    );
    assert!(
        t1.contains("We made no disclosure of your health information"),
        "{t1}"
    );
    assert!(!t1.contains("12 Elm St"), "{t1}");

    let html = std::fs::read_to_string(write(
        &env,
        &[
            "audit",
            "--accounting",
            "--patient",
            "P-90304",
            "--format",
            "html",
        ],
        "acc.html",
    ))
    .unwrap();
    assert!(
        html.contains("<th scope=\"col\">Who received it</th>"),
        "{html}"
    );
    assert!(html.contains("Testville Police Department"), "{html}");

    // A letter goes to one patient; a letter is not made from a record that fails.
    let o = env
        .cmd(TODAY)
        .args(["audit", "--accounting", "--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--accounting --patient REF"),
        "{}",
        stderr(&o)
    );
    env.tamper(4, "Jane Doe", "Jane Roe");
    let o = env
        .cmd(TODAY)
        .args([
            "audit",
            "--accounting",
            "--patient",
            "P-90304",
            "--format",
            "pdf",
            "-o",
        ])
        .arg(env.tmp.path().join("x.pdf"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("record(s) 4 do not verify"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_letterhead_carries_the_logo() {
    if !poppler() {
        return;
    }
    let env = letters_env();
    std::fs::create_dir_all(env.cases.join("letterhead")).unwrap();
    for f in ["logo.png", "logo.svg"] {
        std::fs::copy(fixtures().join(f), env.cases.join("letterhead").join(f)).unwrap();
    }
    std::fs::write(env.cases.join("letterhead/fake.png"), b"GIF89a not a png").unwrap();
    let settings = std::fs::read_to_string(env.cases.join("casebench.yaml")).unwrap();
    let with_logo = |logo: &str| {
        std::fs::write(
            env.cases.join("casebench.yaml"),
            settings.replace("  state: US-OH", &format!("  state: US-OH\n  logo: {logo}")),
        )
        .unwrap();
    };
    with_logo("letterhead/logo.png");
    let pdf = write(&env, &["notice", "2", "--format", "pdf"], "logo.pdf");
    assert_renders(&pdf);
    let o = Command::new("pdfimages").arg("-list").arg(&pdf).output();
    if let Ok(o) = o {
        assert!(
            stdout(&o).contains(" 96 "),
            "the 96x32 logo is in the PDF: {}",
            stdout(&o)
        );
    }
    let html = std::fs::read_to_string(write(
        &env,
        &["notice", "2", "--format", "html"],
        "logo.html",
    ))
    .unwrap();
    assert!(
        html.contains("src=\"data:image/png;base64,iVBORw0KGgo"),
        "{html}"
    );

    // An SVG logo is drawn from what it holds; its external image is never read.
    with_logo("letterhead/logo.svg");
    let pdf = write(&env, &["notice", "2", "--format", "pdf"], "svg.pdf");
    assert_renders(&pdf);
    let html = std::fs::read_to_string(write(
        &env,
        &["notice", "2", "--format", "html"],
        "svg.html",
    ))
    .unwrap();
    assert!(html.contains("src=\"data:image/svg+xml;base64,"), "{html}");

    // A logo that is not what its name says, or outside the directory: refused, exit 2.
    with_logo("letterhead/fake.png");
    let o = env
        .cmd(TODAY)
        .args(["notice", "2", "--format", "pdf", "-o"])
        .arg(env.tmp.path().join("x.pdf"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("entity.logo `letterhead/fake.png`: the file is not a PNG image"),
        "{}",
        stderr(&o)
    );
    assert!(
        !env.tmp.path().join("x.pdf").exists(),
        "nothing half-written"
    );
    with_logo("../outside.png");
    let o = env.cmd(TODAY).args(["check"]).output().unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("logo") || stderr(&o).contains("logo"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
}

/// A PDF goes to a file or a pipe, byte for byte (around the terminal guard), and never
/// to a terminal.
#[test]
fn a_pdf_reaches_a_pipe_whole_and_never_a_terminal() {
    let env = letters_env();
    let file = write(&env, &["notice", "1", "--format", "pdf"], "n1.pdf");
    let o = env
        .cmd(TODAY)
        .args(["notice", "1", "--format", "pdf"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, std::fs::read(&file).unwrap(), "the same bytes");

    let mut cmd = crate::support::pty::casebench(&env.home());
    cmd.arg("--cases");
    cmd.arg(&env.cases);
    cmd.env("CASEBENCH_TODAY", TODAY);
    cmd.args(["notice", "1", "--format", "pdf"]);
    let pty = crate::support::pty::Pty::spawn(cmd, 100, 30);
    let out = pty.wait_for_output("not written to a terminal");
    assert!(!out.contains("%PDF"), "{out}");
}
