//! Loading benchmark: a generated directory of 10,000 cases (~3.9 KB each), loaded the way
//! `check` and the workbench load it. Also times each hostile input on its own.
//! Run: `cargo bench --bench load [-- --dir DIR]`. Figures go in docs/PERFORMANCE.md.

use std::path::Path;
use std::time::{Duration, Instant};

use casebench::case::LoadOptions;

use casebench::rules::load_dir;

const CASES: usize = 10_000;
const RUNS: usize = 5;

fn template() -> String {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases/AR-2026-0101.yaml"),
    )
    .unwrap_or_else(|e| panic!("fixture: {e}"));
    // Realistic notes: several paragraphs in the evaluation, like the sample cases.
    let para = "    The patient was seen weekly for cognitive behavioural therapy. She reports \
                improved sleep and fewer intrusive thoughts; no self-harm since intake. \
                Collateral from her sister is consistent with her account.\n";
    base.replace(
        "    Nothing in the chart is likely to endanger anyone.\n",
        &format!(
            "    Nothing in the chart is likely to endanger anyone.\n{}",
            para.repeat(12)
        ),
    )
}

fn generate(dir: &Path) -> u64 {
    let t = template();
    let mut bytes = 0u64;
    for i in 0..CASES {
        let id = format!("AR-GEN-{i:05}");
        let text = t.replace("AR-2026-0101", &id);
        bytes += text.len() as u64;
        std::fs::write(dir.join(format!("{id}.yaml")), text).unwrap_or_else(|e| panic!("{e}"));
    }
    bytes
}

/// CASES files cycling through `cases/*.yaml`, each id suffixed with a number (attachments
/// copied, so that the cases stay valid).
fn generate_from_samples(dir: &Path) -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let mut sources = Vec::new();
    for e in std::fs::read_dir(&root).unwrap_or_else(|e| panic!("{e}")) {
        let path = e.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if let Some(id) = name
            .strip_suffix(".yaml")
            .filter(|_| name != "casebench.yaml")
        {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            sources.push((id.to_string(), text));
        }
    }
    sources.sort();
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(root.join("attachments"))
        .arg(dir)
        .status()
        .unwrap_or_else(|e| panic!("cp: {e}"));
    assert!(copied.success(), "cp -r attachments failed");
    let mut bytes = 0u64;
    for i in 0..CASES {
        let (id, text) = &sources[i % sources.len()];
        let new_id = format!("{id}-{i:05}");
        let text = text.replace(&format!("id: {id}\n"), &format!("id: {new_id}\n"));
        bytes += text.len() as u64;
        std::fs::write(dir.join(format!("{new_id}.yaml")), text).unwrap_or_else(|e| panic!("{e}"));
    }
    bytes
}

/// Loads `dir` RUNS times and prints the best time.
fn measure(label: &str, dir: &Path, bytes: u64, opts: &LoadOptions) {
    let mut best = Duration::MAX;
    let (mut loaded, mut invalid) = (0, 0);
    for _ in 0..RUNS {
        let d = time(|| {
            let set = load_dir(dir, opts, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"));
            (loaded, invalid) = (set.cases.len(), set.invalid.len());
        });
        assert!(loaded > 0, "no case loaded");
        best = best.min(d);
    }
    let secs = best.as_secs_f64();
    println!(
        "load {label}: {loaded} cases ({invalid} invalid, {:.1} MB) on {} threads: best of {RUNS} {:.3} s = {:.0} cases/s, {:.1} MB/s",
        bytes as f64 / 1e6,
        rayon::current_num_threads(),
        secs,
        loaded as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// `--dir DIR`: load DIR instead of a fresh temporary directory (generating the cases
/// into it first when it holds none), and nothing else, so that a profiler can watch the
/// loading alone.
fn dir_arg() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == "--dir")?;
    args.get(i + 1).map(std::path::PathBuf::from)
}

fn main() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir_path = dir_arg().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir_path).unwrap_or_else(|e| panic!("{e}"));
    let existing: u64 = std::fs::read_dir(&dir_path)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let bytes = if existing > 0 {
        existing
    } else {
        generate(&dir_path)
    };
    let opts = LoadOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default());
    if dir_arg().is_some() {
        measure("--dir", &dir_path, bytes, &opts);
        return;
    }
    measure("generated", &dir_path, bytes, &opts);

    // The same count made of the sample library's 33 cases (every kind of case, about
    // 4.9 KB each), ids renumbered: what a clinic's directory looks like.
    let samples = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let bytes = generate_from_samples(samples.path());
    measure("sample-library", samples.path(), bytes, &opts);

    // Hostile inputs, one at a time beside one valid case.
    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("alias bomb (900 KB x 250 refs)", {
            let refs = vec!["*a"; 250].join(", ");
            template()
                .replace(
                    "  factors:\n    - no history of self-harm\n",
                    &format!("  factors: [&a \"{}\", {refs}]\n", "x".repeat(900_000)),
                )
                .into_bytes()
        }),
        (
            "10,000-deep flow nesting",
            format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        ("5 MB file", vec![b'#'; 5 * 1024 * 1024]),
        ("invalid UTF-8", {
            let mut b = template().into_bytes();
            b[200] = 0xFF;
            b
        }),
    ];
    for (what, content) in hostile {
        let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(d.path().join("AR-2026-0101.yaml"), template())
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(d.path().join("bad.yaml"), content).unwrap_or_else(|e| panic!("{e}"));
        let mut invalid = 0;
        let t = time(|| {
            let set = load_dir(d.path(), &opts, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"));
            invalid = set.invalid.len();
        });
        assert_eq!(invalid, 1, "{what} was not refused");
        println!("refuse {what}: {:.1} ms", t.as_secs_f64() * 1e3);
    }
}
