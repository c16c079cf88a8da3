//! Three sites decide and sync concurrently to one bare remote, 50 times each (issue
//! 15): every record arrives exactly once, `sites fetch` + `verify --sites` pass, and
//! every branch's history is linear. One site also has a second `sync` racing its own
//! (as `after_decide` and cron would): the log's lock serialises them.

use crate::support::record as record_support;
use crate::support::sites as sites_support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use record_support::*;
use sites_support::*;

const SITES: [&str; 3] = ["east", "north", "west"];
const ROUNDS: u64 = 50;

#[test]
fn three_sites_deciding_and_syncing_at_once_lose_and_duplicate_nothing() {
    let started = Instant::now();
    let envs: Vec<Arc<Env>> = SITES.iter().map(|_| Arc::new(Env::new())).collect();
    let remote = remote_in(&envs[0]);
    bare(&remote);
    let url = format!("file://{}", remote.display());
    for (env, site) in envs.iter().zip(SITES) {
        set_sync(env, site, &url);
    }
    let done = Arc::new(AtomicBool::new(false));
    // The racing sync of the first site, until the deciders are done.
    let racer = {
        let env = envs[0].clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut runs = 0;
            while !done.load(Ordering::SeqCst) {
                let o = sync(&env);
                // Before the first record there is nothing to publish (exit 2): fine.
                assert!(
                    matches!(o.status.code(), Some(0) | Some(2)),
                    "racing sync: {}{}",
                    stdout(&o),
                    stderr(&o)
                );
                runs += 1;
            }
            runs
        })
    };
    let deciders: Vec<_> = envs
        .iter()
        .map(|env| {
            let env = env.clone();
            std::thread::spawn(move || {
                for _ in 0..ROUNDS {
                    env.fill(1);
                    let o = sync(&env);
                    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
                }
            })
        })
        .collect();
    for d in deciders {
        d.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let races = racer.join().unwrap();
    assert!(races > 0);

    for site in SITES {
        let tip = head(&remote, site).unwrap();
        // Every record and its signature at the branch's tip, nothing more.
        let records: Vec<String> = tree_files(&remote, &tip)
            .into_iter()
            .filter(|f| f.starts_with("decisions/log/"))
            .collect();
        let want: Vec<String> = (1..=ROUNDS)
            .flat_map(|s| {
                [
                    format!("decisions/log/{s:08}.yaml"),
                    format!("decisions/log/{s:08}.yaml.sig"),
                ]
            })
            .collect();
        let mut sorted = want.clone();
        sorted.sort();
        assert_eq!(records, sorted, "{site}");
        // Each added exactly once in the branch's history.
        let added = git_text(
            &remote,
            &[
                "log",
                "--format=",
                "--name-only",
                "--diff-filter=A",
                &tip,
                "--",
                "decisions/log",
            ],
        );
        let mut added: Vec<&str> = added.lines().filter(|l| !l.is_empty()).collect();
        added.sort();
        assert_eq!(added, sorted, "{site}: a record added twice or never");
        // Linear: no merge, one root, every other commit with exactly one parent.
        let merges = git_text(&remote, &["rev-list", "--merges", &tip]);
        assert!(merges.is_empty(), "{site}: merges {merges}");
        let chain = git_text(&remote, &["rev-list", "--parents", &tip]);
        let parents: Vec<usize> = chain
            .lines()
            .map(|l| l.split_whitespace().count() - 1)
            .collect();
        assert_eq!(parents.last(), Some(&0), "{site}: one root");
        assert!(
            parents[..parents.len() - 1].iter().all(|&p| p == 1),
            "{site}: {chain}"
        );
    }
    assert!(
        git_text(&remote, &["rev-list", "--merges", "--all"]).is_empty(),
        "no merge anywhere"
    );

    let mirror = envs[0].tmp.path().join("mirror");
    let o = fetch(&envs[0], &url, &mirror);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let o = verify_sites(&envs[0], &mirror);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    for site in SITES {
        assert!(
            stdout(&o).contains(&format!("site {site}: {ROUNDS} record(s)")),
            "{}",
            stdout(&o)
        );
    }
    eprintln!(
        "three sites x {ROUNDS} decisions and syncs ({races} racing syncs) in {:.1?}",
        started.elapsed()
    );
}
