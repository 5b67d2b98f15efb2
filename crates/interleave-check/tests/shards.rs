//! A bounded exploration split into shards (shuttle builds), as CI jobs or machines would run
//! it: each shard alone, its report through JSON, then the merge. The merged report must be the
//! single run's — the same verdict and first counterexample step by step, the same final states,
//! and (with no failure to stop pieces early and no state cache shared) exactly its executions,
//! so that a piece explored twice or left out shows. The failing programs are the controls that
//! a failure found by one shard alone reaches the merged report; the broken merges (a shard
//! missing, given twice, from another check) are refused.
#![cfg(shuttle)]

mod programs;

use interleave_check::{Check, Mode, Outcome, Report, ShardReport, Verdict};
use programs::{crossed_locks, three_adders};

fn bounded(bound: usize, jobs: usize) -> Check {
    Check::new()
        .name("shards")
        .mode(Mode::Bounded)
        .preemptions(bound)
        .jobs(jobs)
        .final_state(|o| match o.get("n") {
            None | Some(6) => Ok(()),
            Some(n) => Err(format!("n is {n}, not 6: an increment was lost")),
        })
}

/// Every shard of `count`, each through its JSON, as a merge job reads them.
fn shards<F, R>(check: &Check, count: usize, f: F) -> Vec<ShardReport>
where
    F: Fn() -> R + Send + Sync + Clone + 'static,
    R: Into<Outcome>,
{
    (0..count)
        .map(|i| {
            let shard = check.shard((i, count), f.clone()).unwrap();
            ShardReport::from_json(&shard.to_json()).unwrap()
        })
        .collect()
}

/// What a merged report must share with the single run's.
fn essence(report: &Report) -> (Option<Verdict>, String, Option<Vec<String>>, Vec<String>) {
    let steps = report.failure.as_ref().map(|f| {
        f.snapshot
            .trace
            .steps
            .iter()
            .map(|s| format!("{} {} {} {:?}", s.thread, s.verb(), s.object, s.value()))
            .collect()
    });
    (
        report.failure.as_ref().and_then(|f| f.verdict()),
        format!("{:?}", report.coverage),
        steps,
        report.outcomes.iter().map(|o| format!("{o:?}")).collect(),
    )
}

#[test]
fn four_shards_merge_into_the_single_runs_report_executions_and_all() {
    let check = bounded(2, 1);
    let single = check.report(|| three_adders(|_| true)).unwrap();
    assert!(single.failure.is_none(), "{single}");
    for count in [1, 2, 4, 7] {
        let parts = shards(&check, count, || three_adders(|_| true));
        let merged = check.merge(&parts, || three_adders(|_| true)).unwrap();
        assert_eq!(essence(&merged), essence(&single), "{count} shards");
        assert_eq!(merged.executions, single.executions, "{count} shards");
        assert_eq!(
            parts.iter().map(ShardReport::executions).sum::<usize>(),
            single.executions
        );
        if count > 1 {
            assert!(
                parts.iter().all(|p| p.executions() < single.executions),
                "each of {count} shards explores a part: {:?}",
                parts
                    .iter()
                    .map(ShardReport::executions)
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn a_lost_update_merges_into_the_single_runs_counterexample() {
    let check = bounded(2, 1);
    let single = check.report(|| three_adders(|_| false)).unwrap();
    assert_eq!(
        single.failure.as_ref().and_then(|f| f.verdict()),
        Some(Verdict::LostUpdate)
    );
    let parts = shards(&check, 4, || three_adders(|_| false));
    let merged = check.merge(&parts, || three_adders(|_| false)).unwrap();
    assert_eq!(essence(&merged), essence(&single));
    // A lost update never ends the search: every piece ran, in both.
    assert_eq!(merged.executions, single.executions);
    assert_eq!(
        merged.failure.as_ref().unwrap().schedule,
        single.failure.as_ref().unwrap().schedule
    );
}

#[test]
fn a_deadlock_found_by_one_shard_is_the_merged_verdict_on_any_workers() {
    let single = bounded(2, 1).report(crossed_locks).unwrap();
    assert_eq!(
        single.failure.as_ref().and_then(|f| f.verdict()),
        Some(Verdict::Deadlock)
    );
    for jobs in [1, 2] {
        let check = bounded(2, jobs);
        let parts = shards(&check, 4, crossed_locks);
        let finders = parts.iter().filter(|p| !p.failures().is_empty()).count();
        assert!(finders >= 1);
        let merged = check.merge(&parts, crossed_locks).unwrap();
        assert_eq!(essence(&merged), essence(&single), "{jobs} jobs");
        assert!(merged.to_string().contains("deadlock"), "{merged}");
    }
}

#[test]
fn a_merge_of_the_wrong_reports_is_refused_in_words() {
    let check = bounded(1, 1);
    let parts = shards(&check, 3, crossed_locks);
    let error = |parts: &[ShardReport]| {
        check
            .merge(parts, crossed_locks)
            .map(|r| r.to_string())
            .unwrap_err()
            .to_string()
    };
    assert!(error(&parts[..2]).contains("shard 2 of 3 is missing"));
    let twice = [
        parts[0].clone(),
        parts[0].clone(),
        parts[1].clone(),
        parts[2].clone(),
    ];
    assert!(error(&twice).contains("given twice"));
    let other = shards(&bounded(2, 1), 3, crossed_locks);
    assert!(check.merge(&parts, crossed_locks).is_ok());
    let mixed = [parts[0].clone(), parts[1].clone(), other[2].clone()];
    assert!(
        error(&mixed).contains("preemption bound 1 here, 2 there"),
        "{}",
        error(&mixed)
    );
    assert!(check.shard((3, 3), crossed_locks).is_err());
    assert!(Check::new()
        .mode(Mode::Random)
        .shard((0, 2), crossed_locks)
        .is_err());
    assert!(ShardReport::from_json("{}").is_err());
}

/// A test as a CI matrix runs it: each job with `INTERLEAVE_SHARD=i/n`, then one job with
/// `INTERLEAVE_MERGE=DIR` over the files they wrote.
#[test]
#[ignore = "run by a_tests_check_is_sharded_and_merged_by_its_environment"]
fn a_test_sharded_by_its_environment() {
    Check::new()
        .preemptions(2)
        .expect(Verdict::Deadlock)
        .run(crossed_locks);
}

/// Runs that test in a process of its own with `env`: whether it passed, and what it printed.
fn sharded_test(env: &[(&str, &std::path::Path)]) -> (bool, String) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "a_test_sharded_by_its_environment", "--ignored"])
        .args(["--nocapture", "--test-threads", "1"])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn a_tests_check_is_sharded_and_merged_by_its_environment() {
    let dir = std::env::temp_dir().join(format!("interleave-shards-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for i in 0..3 {
        let shard = format!("{i}/3");
        let (passed, text) = sharded_test(&[
            ("INTERLEAVE_SHARD", std::path::Path::new(&shard)),
            ("INTERLEAVE_SHARD_DIR", &dir),
        ]);
        assert!(passed, "{text}");
        assert!(text.contains(&format!("shard {i} of 3 only")), "{text}");
    }
    let (passed, text) = sharded_test(&[("INTERLEAVE_MERGE", &dir)]);
    assert!(passed, "{text}");
    assert!(text.contains("deadlock"), "{text}");
    // The control: one shard's report gone, the merge refuses to give a verdict.
    let gone = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("2-of-3.json"))
        .expect("shard 2's report");
    std::fs::remove_file(gone).unwrap();
    let (passed, text) = sharded_test(&[("INTERLEAVE_MERGE", &dir)]);
    assert!(!passed);
    assert!(text.contains("shard 2 of 3 is missing"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
