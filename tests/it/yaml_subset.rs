//! The fast YAML reader (src/yaml/subset.rs) against serde-saphyr: on the sample library
//! and fixtures it must be taken (else loading is slow) and agree exactly; on thousands of
//! mutated files, whenever it accepts a file serde-saphyr must accept it with the same
//! value.

use std::path::{Path, PathBuf};

use casebench::case::model::Case;
use casebench::yaml::{from_str_fast, from_str_general};

fn case_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["cases", "tests/fixtures/cases"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".yaml") && name != "casebench.yaml" {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 30, "{files:?}");
    files
}

#[test]
fn sample_cases_take_the_fast_path_and_agree() {
    let mut slow = Vec::new();
    for path in case_files() {
        let src = std::fs::read_to_string(&path).unwrap();
        let general = from_str_general::<Case>(&src);
        let fast = from_str_fast::<Case>(&src);
        match (&fast, &general) {
            (Some(f), Ok(g)) => assert_eq!(f, g, "{}", path.display()),
            (Some(_), Err(e)) => panic!("{}: fast accepted, saphyr: {e:?}", path.display()),
            (None, Ok(_)) => slow.push(path.display().to_string()),
            (None, Err(_)) => {}
        }
    }
    assert!(
        slow.is_empty(),
        "valid cases not read by the fast reader: {slow:#?}"
    );
}

/// xorshift64*: deterministic, so a failure names a reproducible mutant.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values that YAML types differently, or that leave the subset.
const TRICKY: &[&str] = &[
    "yes",
    "No",
    "on",
    "off",
    "y",
    "n",
    "~",
    "null",
    "",
    "0x10",
    "1e3",
    "-1",
    "007",
    "0",
    "true",
    "True",
    "FALSE",
    "'a''b'",
    "\"a\\\"b\\\\c\"",
    "\"a\\x41\"",
    "[a, b]",
    "[]",
    "{a: b}",
    "{}",
    "|",
    ">-",
    "|+",
    "&x a",
    "*x",
    "!tag a",
    "a: b",
    "a:b",
    "a #c",
    "a#c",
    "2026-02-30",
    "2026-12-31",
    "{ event: end of litigation }",
    "\"2026-01-01\"",
    "'x'",
    ".inf",
    "- a",
    "? a",
    "\"unclosed",
    "[a, [b]]",
    "[a,]",
    "{id: x, id: y}",
    "é ü",
    "\u{2028}",
    "\u{feff}",
    "a\tb",
    "@a",
    "`a",
];

const INSERTS: &[&str] = &[
    " ", "  ", ":", ": ", "-", "- ", "#", " #", "\"", "'", "|", ">", "[", "]", "{", "}", ",", "\n",
    "\n  ", "&", "*", "!", "x", "0", "\t", "\r", "\\", "---\n", "...\n",
];

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
    let l = rng.below(lines.len());
    match rng.below(9) {
        0 => {
            // Insert a significant character somewhere in a line.
            let line = &mut lines[l];
            let cuts: Vec<usize> = (0..=line.len())
                .filter(|&i| line.is_char_boundary(i))
                .collect();
            let at = cuts[rng.below(cuts.len())];
            line.insert_str(at, INSERTS[rng.below(INSERTS.len())]);
        }
        1 => {
            let line = &mut lines[l];
            if let Some((at, _)) = line.char_indices().nth(rng.below(line.chars().count())) {
                line.remove(at);
            }
        }
        2 => {
            let copy = lines[l].clone();
            lines.insert(l, copy);
        }
        3 => {
            lines.remove(l);
        }
        4 => {
            let line = &mut lines[l];
            match rng.below(4) {
                0 => line.insert(0, ' '),
                1 => line.insert_str(0, "  "),
                _ => {
                    let n = line.len() - line.trim_start_matches(' ').len();
                    line.drain(..n.min(1 + rng.below(2)));
                }
            }
        }
        5 => {
            // Change a block scalar's style or chomping.
            const HEADERS: &[&str] = &["|", "|-", "|+", ">", ">-", ">+", "|2", "| #c", "|x"];
            let line = &mut lines[l];
            if line.ends_with(": |") || line.ends_with(": >") || line.ends_with("- |") {
                line.pop();
                line.push_str(HEADERS[rng.below(HEADERS.len())]);
            }
        }
        6 => {
            // A blank line of some spaces (inside block scalars these are content or not).
            lines.insert(l, " ".repeat(rng.below(9)));
        }
        7 => {
            // Move a value to the next line, deeper (a multi-line plain scalar or an error).
            let line = lines[l].clone();
            if let Some(i) = line.find(": ") {
                let ind = line.len() - line.trim_start().len();
                lines[l] = line[..i + 1].to_string();
                let deeper = " ".repeat(ind + 1 + rng.below(3));
                lines.insert(l + 1, format!("{deeper}{}", &line[i + 2..]));
            }
        }
        _ => {
            // Replace the value after a key with a tricky one.
            let line = &mut lines[l];
            if let Some(i) = line.find(": ") {
                line.truncate(i + 2);
                line.push_str(TRICKY[rng.below(TRICKY.len())]);
            }
        }
    }
    let mut out = lines.join("\n");
    if rng.below(10) != 0 {
        out.push('\n');
    }
    out
}

#[test]
fn mutated_cases_never_read_differently() {
    // YAML_SUBSET_ROUNDS / YAML_SUBSET_SEED widen the search when the reader changes.
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let rounds = env("YAML_SUBSET_ROUNDS", 120);
    let mut rng = Rng(env("YAML_SUBSET_SEED", 0x9E37_79B9_7F4A_7C15) | 1);
    let (mut accepted, mut total) = (0usize, 0usize);
    for path in case_files() {
        let src = std::fs::read_to_string(&path).unwrap();
        for round in 0..rounds {
            let mut m = src.clone();
            for _ in 0..1 + rng.below(3) {
                m = mutate(&m, &mut rng);
            }
            total += 1;
            let Some(fast) = from_str_fast::<Case>(&m) else {
                continue;
            };
            accepted += 1;
            match from_str_general::<Case>(&m) {
                Ok(general) => assert_eq!(
                    fast,
                    general,
                    "{} mutant {round} read differently:\n{m}",
                    path.display()
                ),
                Err(e) => panic!(
                    "{} mutant {round}: fast reader accepted what serde-saphyr refuses ({e:?}):\n{m}",
                    path.display()
                ),
            }
        }
    }
    eprintln!(
        "{accepted} of {total} mutants read by the fast reader, all as serde-saphyr reads them"
    );
    // The test means something only if many mutants stay inside the subset.
    assert!(accepted * 5 > total, "{accepted} of {total} accepted");
}

mod constructs {
    use std::collections::BTreeMap;

    use casebench::yaml::{from_str_fast, from_str_general};
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        s: Option<String>,
        #[serde(default)]
        t: Option<String>,
        #[serde(default)]
        b: Option<bool>,
        #[serde(default)]
        n: Option<u32>,
        #[serde(default)]
        list: Vec<String>,
        #[serde(default)]
        map: BTreeMap<String, String>,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        when: Option<When>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        AccessRequest,
        DisclosureConcern,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum When {
        Day(String),
        Event { event: String },
    }

    /// Read by the fast reader, exactly as serde-saphyr reads it.
    fn same(src: &str) -> Doc {
        let general = from_str_general::<Doc>(src).unwrap_or_else(|e| panic!("{src}\n{e:?}"));
        let fast =
            from_str_fast::<Doc>(src).unwrap_or_else(|| panic!("fast reader bailed:\n{src}"));
        assert_eq!(fast, general, "{src}");
        fast
    }

    /// Left to serde-saphyr.
    fn bails(src: &str) {
        assert!(
            from_str_fast::<Doc>(src).is_none(),
            "fast reader accepted:\n{src}"
        );
    }

    #[test]
    fn block_scalars() {
        let d = same("s: |\n  one\n\n  two\n    deeper\n\n\nt: >-\n  a\n  b\n\n  c\n");
        assert_eq!(d.s.as_deref(), Some("one\n\ntwo\n  deeper\n"));
        assert_eq!(d.t.as_deref(), Some("a b\nc"));
        same("s: >\n  folded\n  text\n# a comment\nt: |-\n    # not a comment\n    x\n");
        same("items:\n  - id: a\n    note: |\n      inside a sequence\n      item\n  - id: b\n");
        same("s: | # comment on the header\n  x\n");
        bails("s: |+\n  keep\n\n");
        bails("s: |2\n   x\n");
        bails("s: >\n  a\n    more indented\n  b\n");
        bails("s: |\n\n  leading blank line\n");
        bails("s: |\n  x\n     \n  y\n"); // a blank line with spaces that would be content
    }

    #[test]
    fn scalars() {
        let d = same("s: \"say \\\"hi\\\" \\\\ back\" # c\nt: 'it''s'\nb: true\nn: 42\n");
        assert_eq!(d.s.as_deref(), Some("say \"hi\" \\ back"));
        assert_eq!(d.t.as_deref(), Some("it's"));
        same("s: plain text, with commas # and a comment\nt: C#sharp\nkind: disclosure_concern\n");
        same("s: 12345\nt: 2026-03-02\n");
        same("s: Ünïcödé — dashes “quotes”\n");
        same("---\n# leading comment\ns: x\n");
        bails("b: yes\n");
        bails("n: 0x10\n");
        bails("n: 007\n");
        bails("s: ~\n");
        bails("s:\nt: x\n");
        bails("s: null\n");
        bails("s: \"\\x41\"\n");
        bails("s: \"two\n  lines\"\n");
        bails("s: two\n  lines\n");
        bails("s: a: b\n");
        bails("kind: 'access_request'\n");
    }

    #[test]
    fn collections() {
        let d = same(
            "list: [a, \"b, c\", 'd']\nmap: { x: one, y: \"two\" }\nitems:\n  - id: a\n    tags: [p, q]\n  -\n    id: b\n",
        );
        assert_eq!(d.list, ["a", "b, c", "d"]);
        assert_eq!(d.items.len(), 2);
        same("list: []\nmap: {}\n");
        same("map:\n  yes: on\n  key-with-dash: v\n");
        same("when: 2026-12-31\n");
        same("when: { event: end of litigation }\n");
        bails("list: [a, [b]]\n");
        bails("list: [a,]\n");
        bails("list:\n- a\n- b\n"); // a sequence at its key's indentation
        bails("items:\n  - - a\n");
        bails("map: { x: 1, x: 2 }\n");
        bails("when: 12\n");
    }

    #[test]
    fn leaves_the_rest_to_serde_saphyr() {
        bails("s: &a x\nt: *a\n");
        bails("s: !tag x\n");
        bails("s: x\ns: y\n"); // duplicate key
        bails("s:\tx\n");
        bails("s: x\r\n");
        bails("\u{feff}s: x\n");
        bails("- a\n");
        bails("s: x\n---\ns: y\n");
        bails("s: x\n...\n");
        bails("\"s\": x\n");
        bails("s: x\n  t: y\n");
        bails(&format!("list: [{}]\n", vec!["a"; 30_000].join(", ")));
        // Unknown fields and type errors: serde-saphyr words those.
        bails("unknown: x\n");
        bails("n: many\n");
    }
}

/// Every other YAML file of the repository (rulebook, themes, settings, reviewers, topic
/// map, fixtures), read as untyped values: where the fast reader answers, it agrees.
#[test]
fn every_yaml_file_of_the_repository_reads_the_same_untyped() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if p.is_dir() && !name.starts_with('.') && name != "target" {
                walk(&p, out);
            } else if name.ends_with(".yaml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(Path::new(env!("CARGO_MANIFEST_DIR")), &mut files);
    assert!(files.len() > 40, "{}", files.len());
    let mut fast_read = 0;
    for path in &files {
        let Ok(src) = std::fs::read_to_string(path) else {
            continue;
        };
        if let Some(fast) = from_str_fast::<serde_json::Value>(&src) {
            fast_read += 1;
            let general = from_str_general::<serde_json::Value>(&src)
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            assert_eq!(fast, general, "{}", path.display());
        }
        // And mutants of it, untyped.
        let rounds = std::env::var("YAML_SUBSET_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok());
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for round in 0..rounds.unwrap_or(40) {
            let m = mutate(&src, &mut rng);
            if let Some(fast) = from_str_fast::<serde_json::Value>(&m) {
                match from_str_general::<serde_json::Value>(&m) {
                    Ok(general) => {
                        assert_eq!(fast, general, "{} mutant {round}:\n{m}", path.display())
                    }
                    Err(e) => panic!(
                        "{} mutant {round}: accepted, saphyr: {e:?}\n{m}",
                        path.display()
                    ),
                }
            }
        }
    }
    eprintln!(
        "{fast_read} of {} files read by the fast reader",
        files.len()
    );
    assert!(fast_read > 40, "{fast_read} of {}", files.len());
}
