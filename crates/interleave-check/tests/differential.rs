//! Every engine held against the brute-force reference (`reference/brute_force.rs`), on random
//! programs over atomics, mutexes, condition variables waited with `while` and with `if`, a
//! semaphore, spawn and join, loops and assertions: within the same preemption bound (or with
//! none), an engine that claims to have explored everything must reach exactly the reference's
//! final states, and fail exactly where the reference fails; a sampling engine only what the
//! reference reaches. Each program runs twice: with its assertions panicking (the verdicts) and
//! with failed assertions counted in the final state (the final states, even of programs that
//! fail an assertion).
//!
//! The corpus is fixed (proptest's seed below); `INTERLEAVE_DIFFERENTIAL_CASES` sets how many
//! programs a run draws (CI: the default; `bench` and the 100,000-program run: more).
//!
//! Controls: the wrong reductions that `Reduction` names, and a state cache blind to the
//! threads, must each be caught on the corpus; loom's own search, which the reference
//! contradicts, is caught on a program written out below.
#![cfg(any(loom, shuttle))]

mod reference;

use interleave_check::{Check, Mode, Report};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use reference::brute_force::{explore, Asserts, Behaviours, NotifyOne};
use reference::compare::{disagreement, Claim};
use reference::on_the_facade::run;
use reference::program::{program, Program};

/// Programs a run draws, at most, from the fixed corpus.
fn cases(default: u32) -> u32 {
    std::env::var("INTERLEAVE_DIFFERENTIAL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The corpus's seed: fixed, unless `INTERLEAVE_DIFFERENTIAL_SEED` picks another corpus (to
/// split a long run among processes).
fn seed() -> u64 {
    std::env::var("INTERLEAVE_DIFFERENTIAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1e_a7e)
}

/// A runner over the fixed corpus, which shrinks a failing program `shrink` times at most.
fn runner(cases: u32, shrink: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed()),
        failure_persistence: None,
        max_shrink_iters: shrink,
        // Programs too big for the reference are drawn again: at most as many as the cases.
        max_global_rejects: cases.max(1_024),
        ..Config::default()
    })
}

/// Programs whose every interleaving the reference enumerates quickly, and the engines too.
const MAX_EXECUTIONS: usize = 5_000;

/// The reference's behaviours of `program` within `bound`.
fn reference(program: &Program, bound: Option<usize>, asserts: Asserts) -> Behaviours {
    let notify_one = if cfg!(loom) {
        NotifyOne::FirstWaiter
    } else {
        NotifyOne::AnyWaiter
    };
    let behaviours = explore(program, bound, notify_one, asserts, MAX_EXECUTIONS + 1);
    assert!(
        !behaviours.cut_short,
        "a program too big for the reference: {program:#?}"
    );
    behaviours
}

/// `check` of `program` (its assertions failing as `asserts` says).
fn report(check: &Check, program: &Program, asserts: Asserts) -> Report {
    let program = program.clone();
    check
        .clone()
        .name("a random program")
        .report(move || run(&program, asserts))
        .expect("the engine runs in this build")
}

/// The engine `check` on `program`, held against the reference within `bound`, both ways of
/// failing an assertion.
fn holds(
    check: &Check,
    claim: Claim,
    program: &Program,
    bound: Option<usize>,
) -> Result<(), TestCaseError> {
    holds_with(|p, a| report(check, p, a), claim, program, bound)
}

/// The engine whose report of a program `engine` gives, held against the reference within
/// `bound`, both ways of failing an assertion.
fn holds_with(
    engine: impl Fn(&Program, Asserts) -> Report,
    claim: Claim,
    program: &Program,
    bound: Option<usize>,
) -> Result<(), TestCaseError> {
    for asserts in [Asserts::Panic, Asserts::Count] {
        let expected = reference(program, bound, asserts);
        let t = std::time::Instant::now();
        let got = engine(program, asserts);
        if std::env::var("DIFF_DEBUG").is_ok() {
            eprintln!(
                "ref {} engine {} in {:?}",
                expected.executions,
                got.executions,
                t.elapsed()
            );
        }
        if let Some(why) = disagreement(program, &expected, &got, claim) {
            return Err(TestCaseError::fail(format!(
                "{why}\nprogram: {program:#?}\nassertions: {asserts:?}, bound {bound:?}\n{got}"
            )));
        }
    }
    Ok(())
}

/// Whether the reference enumerates every execution of `program` quickly.
fn small(program: &Program) -> bool {
    // Either way of failing an assertion may take more executions: counted, a failed one goes
    // on; panicking, a thread whose first step fails can end any execution.
    [Asserts::Panic, Asserts::Count].into_iter().all(|asserts| {
        !explore(program, None, NotifyOne::AnyWaiter, asserts, MAX_EXECUTIONS).cut_short
    })
}

#[cfg(shuttle)]
mod bounded {
    use super::*;
    use interleave_check::explore::{Reduction, StateCaching};

    /// Bounded mode at `bound` (`None`: no bound), with `reduction`, `caching`, on `workers`.
    pub fn bounded(
        bound: Option<usize>,
        reduction: Reduction,
        caching: StateCaching,
        workers: usize,
    ) -> Check {
        let check = Check::new().mode(Mode::Bounded);
        match bound {
            Some(b) => check.preemptions(b).no_deepening(),
            None => check.no_preemption_bound(),
        }
        .reduction(reduction)
        .state_caching_as(caching)
        .jobs(workers)
    }

    /// Every configuration of bounded mode that claims to explore everything.
    pub fn configurations(bound: Option<usize>) -> Vec<(String, Check)> {
        let mut all = Vec::new();
        for reduction in [Reduction::SleepSets, Reduction::None] {
            for caching in [StateCaching::Off, StateCaching::On] {
                for workers in [1, 3] {
                    all.push((
                        format!("{reduction:?}, states cached {caching:?}, {workers} workers"),
                        bounded(bound, reduction, caching, workers),
                    ));
                }
            }
        }
        all
    }

    /// `e`, said of the engine called `name`.
    fn named(name: &str, e: TestCaseError) -> TestCaseError {
        match e {
            TestCaseError::Fail(why) => TestCaseError::fail(format!("{name}: {why}")),
            rejected => rejected,
        }
    }

    /// Holds every engine that `engines` gives for a bound against the reference, on the
    /// corpus's first `cases` programs, at bounds 0, 1, 2 and none; a failing program shrinks
    /// `shrink` times at most.
    pub fn on_corpus(
        cases: u32,
        shrink: u32,
        engines: impl Fn(Option<usize>) -> Vec<(String, Check)>,
    ) -> Result<(), String> {
        runner(cases, shrink)
            .run(&program(4, 3), |program| {
                prop_assume!(small(&program));
                for bound in [Some(0), Some(1), Some(2), None] {
                    for (name, check) in engines(bound) {
                        holds(&check, Claim::Everything, &program, bound)
                            .map_err(|e| named(&name, e))?;
                    }
                }
                Ok(())
            })
            .map_err(|e| e.to_string())
    }

    /// Dynamic partial-order reduction, on one worker and on three (options claimed by each).
    pub fn dpor(bound: Option<usize>) -> Vec<(String, Check)> {
        [1, 3]
            .map(|workers| {
                let check = bounded(bound, Reduction::Dpor, StateCaching::On, workers);
                (format!("DPOR, {workers} workers"), check)
            })
            .to_vec()
    }

    #[test]
    fn dpor_agrees_with_the_reference() {
        if let Err(e) = on_corpus(cases(600), 2_000, dpor) {
            panic!("{e}");
        }
    }

    #[test]
    fn every_configuration_of_bounded_mode_agrees_with_the_reference() {
        if let Err(e) = on_corpus(cases(600), 2_000, configurations) {
            panic!("{e}");
        }
    }

    /// The long run, not in CI (`-- --ignored`): `INTERLEAVE_DIFFERENTIAL_CASES` programs
    /// (100,000 by default) against the configurations users run — sleep sets, states cached
    /// or not, on every core — at bound 2 and with no bound.
    #[test]
    #[ignore = "the long run: 100,000 programs"]
    fn many_programs_agree_with_the_reference() {
        let started = std::time::Instant::now();
        let configurations = |bound: Option<usize>| {
            [StateCaching::Off, StateCaching::On]
                .map(|caching| {
                    let check = bounded(bound, Reduction::SleepSets, caching, 2);
                    (format!("sleep sets, states cached {caching:?}"), check)
                })
                .to_vec()
        };
        let result = runner(cases(100_000), 2_000).run(&program(4, 3), |program| {
            prop_assume!(small(&program));
            for bound in [Some(2), None] {
                for (name, check) in configurations(bound) {
                    holds(&check, Claim::Everything, &program, bound)
                        .map_err(|e| named(&name, e))?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        println!(
            "{} programs agree with the reference, in {:.0?}",
            cases(100_000),
            started.elapsed()
        );
    }

    /// `check` of `program` explored in `count` shards, each through its JSON, and merged.
    fn sharded(check: &Check, program: &Program, asserts: Asserts, count: usize) -> Report {
        let check = check.clone().name("a random program");
        let body = |program: &Program| {
            let program = program.clone();
            move || run(&program, asserts)
        };
        let shards: Vec<_> = (0..count)
            .map(|i| {
                let shard = check
                    .shard((i, count), body(program))
                    .expect("a shuttle build");
                interleave_check::ShardReport::from_json(&shard.to_json()).unwrap()
            })
            .collect();
        check
            .merge(&shards, body(program))
            .expect("every shard's report")
    }

    /// Bounded mode in three shards, merged, with states cached or not: the merged report
    /// reaches exactly the reference's final states and fails where it fails; and where nothing
    /// fails and no cache prunes, it ran exactly the executions one run does — the final states
    /// of these small programs are few, and many schedules reach each, so that only the count
    /// shows a piece left out (the control: a shard that explores none of its pieces, caught).
    #[test]
    fn sharded_bounded_mode_agrees_with_the_reference() {
        let result = runner(cases(100), 500).run(&program(4, 3), |program| {
            prop_assume!(small(&program));
            for bound in [Some(1), None] {
                for caching in [StateCaching::Off, StateCaching::On] {
                    // Split small, so that small trees too are dealt out in pieces.
                    let check = bounded(bound, Reduction::SleepSets, caching, 1).shard_split(2, 1);
                    let engine = |p: &Program, a: Asserts| {
                        let merged = sharded(&check, p, a, 3);
                        if caching == StateCaching::Off && merged.failure.is_none() {
                            let whole = report(&check, p, a);
                            assert_eq!(
                                merged.executions, whole.executions,
                                "the shards ran another number of executions than one run"
                            );
                        }
                        merged
                    };
                    holds_with(engine, Claim::Everything, &program, bound)
                        .map_err(|e| named(&format!("3 shards, states cached {caching:?}"), e))?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    /// A control: `wrong`, an engine that must not be trusted, is caught on the corpus.
    fn caught(wrong: impl Fn(Option<usize>) -> Check) {
        // However few programs a run draws, a control looks as far as it must (it stops at the
        // first program that catches the wrong engine).
        let result = on_corpus(2_000, 0, |bound| vec![("wrong".into(), wrong(bound))]);
        assert!(result.is_err(), "the corpus did not catch a wrong engine");
    }

    #[test]
    fn a_reduction_that_takes_every_two_steps_to_commute_is_caught() {
        caught(|b| bounded(b, Reduction::EverythingCommutes, StateCaching::Off, 1));
    }

    #[test]
    fn the_textbook_sleep_sets_under_a_bound_are_caught() {
        caught(|b| bounded(b, Reduction::TextbookSleepSets, StateCaching::Off, 1));
    }

    #[test]
    fn dpor_without_bounded_pors_conservative_points_is_caught() {
        caught(|b| bounded(b, Reduction::DporAtTheRaceOnly, StateCaching::Off, 1));
    }

    #[test]
    fn sealing_an_operation_before_it_has_done_anything_is_caught() {
        caught(|b| bounded(b, Reduction::SealedFromTheStart, StateCaching::Off, 1));
    }

    #[test]
    fn a_state_cache_blind_to_the_threads_is_caught() {
        caught(|b| {
            let caching = StateCaching::ForgettingThreads;
            bounded(b, Reduction::SleepSets, caching, 1)
        });
    }
}

/// loom's own search (the loom build's exhaustive mode), held against the reference: everything
/// it reports must be reachable; what it misses is counted, since loom's search is known to skip
/// schedules (tokio-rs/loom#166, #392) and its reports say so rather than claim a proof.
#[cfg(loom)]
mod loom_search {
    use super::*;
    use reference::program::{AtomicOp, Op, Val};

    /// loom at `bound` (`None`: no bound).
    fn loom(bound: Option<usize>) -> Check {
        let check = Check::new().mode(Mode::Exhaustive);
        match bound {
            Some(b) => check.preemptions(b).no_deepening(),
            None => check.no_preemption_bound(),
        }
    }

    #[test]
    fn loom_reports_nothing_the_reference_cannot_reach() {
        let missed = std::cell::Cell::new(0);
        let result = runner(cases(300), 2_000).run(&program(4, 3), |program| {
            prop_assume!(small(&program));
            // loom counts preemptions its own way: at a bound, what it reaches is held against
            // everything reachable; with no bound, it should reach all of that.
            holds(&loom(Some(1)), Claim::Sample, &program, None)?;
            holds(&loom(None), Claim::Sample, &program, None)?;
            let complete = holds(&loom(None), Claim::Everything, &program, None);
            missed.set(missed.get() + usize::from(complete.is_err()));
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        println!(
            "loom's search, with no bound, missed some of the reference's behaviours of {} programs",
            missed.get()
        );
    }

    /// tokio-rs/loom#166: a writer sets a key, sets and clears a value, looks at the key once
    /// more and clears it; a reader reads the value, then the key. Sequentially consistent, the
    /// reader can see the value set and the key set; the redundant look hides that from loom.
    fn redundant_load() -> Program {
        let store = |atomic, v| {
            Op::Atomic(AtomicOp::Store {
                atomic,
                value: Val::Const(v),
            })
        };
        let load = |atomic, into| Op::Atomic(AtomicOp::Load { atomic, into });
        Program {
            threads: vec![
                vec![Op::Spawn(1), Op::Spawn(2), Op::Join(1), Op::Join(2)],
                vec![
                    store(0, 1),
                    store(1, 1),
                    store(1, 0),
                    load(0, 1),
                    store(0, 0),
                ],
                vec![load(1, 0), load(0, 1)],
            ],
            permits: 0,
        }
    }

    #[test]
    fn loom_misses_a_final_state_of_the_redundant_load_program_and_claims_no_proof() {
        let program = redundant_load();
        let expected = reference(&program, None, Asserts::Panic);
        let got = report(&loom(None), &program, Asserts::Panic);
        assert!(got.failure.is_none(), "{got}");
        let why = disagreement(&program, &expected, &got, Claim::Everything);
        assert!(why.is_some(), "loom now reaches every final state: {got}");
        let summary = got.summary();
        assert!(
            !summary.contains("complete") && !summary.contains("verified"),
            "loom's search claims a proof: {summary}"
        );
    }
}
