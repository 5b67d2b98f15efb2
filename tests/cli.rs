//! The command line as a user meets it: listings, real runs, and one-line errors with exit 2 for
//! bad input.
#![cfg(not(any(loom, shuttle)))]

use std::process::{Command, Output};

fn interleave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(args)
        .env("INTERLEAVE_DELEGATED", "1")
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn list_shows_every_model_variant_and_expected_verdict() {
    let out = interleave(&["list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for model in interleave::models::ALL {
        assert!(text.contains(model.name), "{text}");
        for v in model.variants {
            assert!(
                text.lines()
                    .any(|l| l.contains(v.name) && l.contains(v.expected.as_str())),
                "{text}"
            );
        }
    }
}

/// `interleave list | head`: a reader that stops early ends the listing quietly, no panic.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Close the reading end before the listing is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("the binary ends");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
        "{:?}: {err}",
        out.status
    );
}

#[test]
fn the_readme_table_of_models_is_the_one_list_prints() {
    let out = interleave(&["list", "--markdown"]);
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    assert!(
        readme.contains(table.as_ref()),
        "README.md's table of models is out of date: paste `interleave list --markdown`:\n{table}"
    );
    assert_eq!(
        table.lines().filter(|l| l.starts_with("| ")).count(),
        1 + interleave::models::ALL
            .iter()
            .map(|m| m.variants.len())
            .sum::<usize>()
    );
}

#[test]
fn a_real_run_reports_the_outcome() {
    let out = interleave(&[
        "run",
        "counter",
        "locked",
        "--threads",
        "3",
        "--increments",
        "1000",
        "--runs",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("counter=3000"));
}

#[test]
fn bad_input_gets_one_line_and_exit_2() {
    for (args, says) in [
        (&["run", "kounter"][..], "unknown model 'kounter'"),
        (&["run", "counter", "fast"][..], "has no variant 'fast'"),
        (
            &["run", "counter", "--meals", "3"][..],
            "has no parameter --meals",
        ),
        (
            &["run", "counter", "--threads", "0"][..],
            "--threads must be at least 1",
        ),
        (
            &["run", "counter", "--threads", "many"][..],
            "invalid value 'many'",
        ),
        (
            &["check", "counter", "--mode", "sideways"][..],
            "invalid value 'sideways'",
        ),
        (
            &["check", "counter", "racy", "--cache-states"][..],
            "--cache-states is bounded mode's",
        ),
        (
            &[
                "check",
                "ticket-sellers",
                "--mode",
                "bounded",
                "--cache-states",
            ][..],
            "ticket-sellers keeps state the primitives do not see",
        ),
        (
            &["check", "counter", "--preemptions", "some"][..],
            "give a number of preemptions, or all for no bound",
        ),
    ] {
        let out = interleave(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_exploring_mode_in_a_std_build_says_which_build_it_needs() {
    // With delegation off (as when the sources are gone), the std build explains itself.
    let out = interleave(&["check", "counter", "racy", "--mode", "exhaustive"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--cfg loom"), "{}", stderr(&out));
}

#[test]
fn a_parameter_above_its_maximum_is_refused_with_its_meaning() {
    let out = interleave(&["run", "queue-check-then-act", "fixed", "--order", "5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--order must be at most 2"), "{err}");
    assert!(err.contains("LIFO"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn replay_of_a_missing_schedule_file_says_which_file() {
    let out = interleave(&["replay", "up-down", "unlocked", "@/nonexistent/schedule"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("/nonexistent/schedule"), "{err}");
}

/// The README's table of verdicts is what `interleave table --markdown README.md` wrote: it must
/// list every variant of the catalogue with its verdict, each explorer must have observed exactly
/// that verdict (or passed, where the model declares the mode blind), and no cell may carry a
/// mismatch.
#[test]
fn the_readme_table_of_verdicts_covers_every_variant_and_agrees() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("the README");
    let start = readme
        .find("<!-- verdicts:start -->")
        .expect("the start marker");
    let end = readme
        .find("<!-- verdicts:end -->")
        .expect("the end marker");
    let rows: Vec<Vec<String>> = readme[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| model"))
        .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
        .collect();
    let catalogue: Vec<(&str, &str, String)> = interleave::models::ALL
        .iter()
        .flat_map(|m| {
            m.variants
                .iter()
                .map(move |v| (m.name, v.name, v.expected.to_string()))
        })
        .collect();
    assert_eq!(rows.len(), catalogue.len(), "one row per variant");
    for (row, (model, variant, expected)) in rows.iter().zip(&catalogue) {
        // | model | `variant` | expected | real | exhaustive | random | pct | portfolio | bounded
        // | executions | time |
        assert_eq!(
            (row[1].as_str(), row[2].as_str(), row[3].as_str()),
            (*model, format!("`{variant}`").as_str(), expected.as_str())
        );
        for observed in &row[5..10] {
            assert!(
                observed == expected || observed == "ok*",
                "{model} / {variant}: an explorer observed {observed}, expected {expected}"
            );
        }
        assert!(!row.iter().any(|c| c.contains("**")), "{row:?}");
    }
}

/// A model's parameter is a flag of `run`, `check` and `replay`; were an option of the command
/// itself called the same (`check parallel-sum --workers 3` once set the explorer's threads), the
/// model's flag would be silently shadowed.
#[test]
fn no_model_parameter_shares_a_name_with_a_command_option() {
    let command = interleave::cli::command();
    for sub in ["run", "check", "replay"] {
        let sub = command.find_subcommand(sub).expect("the subcommand exists");
        let mut names: Vec<&str> = sub.get_arguments().filter_map(|a| a.get_long()).collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            all,
            "`{}` has two flags of one name: {names:?}",
            sub.get_name()
        );
    }
    // The control: the parameters must be among the flags this test compares.
    let check = command.find_subcommand("check").unwrap();
    for model in interleave::models::ALL {
        for p in model.params {
            assert!(
                check.get_arguments().any(|a| a.get_long() == Some(p.name)),
                "--{} of {} is not a flag of check",
                p.name,
                model.name
            );
        }
    }
}

/// A model's `--workers` reaches the model: the explorer's own threads are `--jobs`.
#[test]
fn a_model_parameter_reaches_the_model() {
    let out = interleave(&[
        "check",
        "parallel-sum",
        "locked",
        "--mode",
        "real",
        "--schedules",
        "1",
        "--workers",
        "3",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("workers=3"), "{text}");
}

/// `table --mode random --format json` in the std build hands the checks to the shuttle build
/// (cargo builds it in `target/shuttle`, once) and prints the rows it reads back, one JSON
/// object per variant: none was printed once.
#[test]
fn a_delegated_table_prints_its_json_rows() {
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/table-pages");
    let _ = std::fs::remove_dir_all(&pages);
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["table", "--mode", "random", "--format", "json", "--html"])
        .arg(&pages)
        .env_remove("INTERLEAVE_DELEGATED")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let rows: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON row"))
        .collect();
    let variants: usize = interleave::models::ALL
        .iter()
        .map(|m| m.variants.len())
        .sum();
    assert_eq!(rows.len(), variants, "{text}");
    assert!(rows.iter().all(|r| r["mode"] == "random"), "{text}");
    // `--html DIR`: the delegated build wrote a page per variant, this one their index.
    let index = std::fs::read_to_string(pages.join("index.html")).expect("the index");
    for row in &rows {
        let page = format!(
            "{}-{}-random.html",
            row["model"].as_str().unwrap(),
            row["variant"].as_str().unwrap()
        );
        assert!(
            index.contains(&format!("href=\"{page}\"")),
            "{page} in the index"
        );
        let html = std::fs::read_to_string(pages.join(&page)).expect("the page");
        assert!(html.contains(row["observed"].as_str().unwrap()), "{page}");
    }
}

/// `--version` says which backend the binary was built with (a `cargo test` under `--cfg loom`
/// into `target/release` leaves a loom binary there: the version tells).
#[test]
fn the_version_names_the_backend() {
    let out = interleave(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("std backend"), "{text}");
}

#[test]
fn replay_takes_a_model_and_variant_or_a_test_never_a_mix() {
    for (args, says) in [
        (
            &["replay", "counter", "9102"][..],
            "replay takes MODEL VARIANT SCHEDULE",
        ),
        (
            &["replay", "--test", "t", "counter", "racy", "9102"][..],
            "takes the schedule alone",
        ),
        (
            &["test", "--manifest-path", "/nonexistent/Cargo.toml"][..],
            "no Cargo.toml at /nonexistent/Cargo.toml",
        ),
    ] {
        let out = interleave(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}

/// `interleave test` on the example crate (a user's readers-writer lock): its tests in the three
/// builds, one row each, a `-` where a build does not have the test. It builds the example in
/// three fresh target directories of its own (the suite's own are in use while it runs).
#[test]
fn interleave_test_tables_a_crates_tests_in_the_three_builds() {
    let root = env!("CARGO_MANIFEST_DIR");
    let junit = std::env::temp_dir().join(format!("interleave-junit-{}.xml", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["test", "--manifest-path"])
        .arg(format!("{root}/examples/readers-writer/Cargo.toml"))
        .arg("--junit")
        .arg(&junit)
        .env("CARGO_TARGET_DIR", format!("{root}/target/interleave-test"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("the binary runs");
    let table = String::from_utf8_lossy(&out.stdout);
    // The same results for CI, one suite per build.
    let xml = std::fs::read_to_string(&junit).expect("the JUnit file");
    let _ = std::fs::remove_file(&junit);
    assert_eq!(xml.matches("<testsuite ").count(), 3, "{xml}");
    assert!(
        xml.contains(r#"<testcase name="a_writer_that_looks_once_meets_a_reader"/>"#),
        "{xml}"
    );
    assert_eq!(out.status.code(), Some(0), "{table}\n{}", stderr(&out));
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>())
            .unwrap_or_else(|| panic!("no row for {name}:\n{table}"))
    };
    assert_eq!(
        row("a_writer_that_waits_until_the_room_is_free_is_alone"),
        ["ok", "ok", "ok"]
    );
    // The buggy lock's test expects the explorers' panic: it passes where it exists.
    assert_eq!(
        row("a_writer_that_looks_once_meets_a_reader"),
        ["-", "ok", "ok"]
    );
    assert!(table.contains("exhaustive (loom)"), "{table}");
}

/// On a terminal, a check draws its progress line (and clears it before the report); through a
/// pipe, nothing but the report. The terminal is `script`'s pseudo-terminal (util-linux).
#[cfg(unix)]
#[test]
fn progress_is_drawn_on_a_terminal_and_only_there() {
    let bin = env!("CARGO_BIN_EXE_interleave");
    let args = "run counter locked --runs 30 --threads 2 --increments 200000";
    let piped = interleave(&args.split(' ').collect::<Vec<_>>());
    let piped = String::from_utf8_lossy(&piped.stdout);
    assert!(!piped.contains("real mode: "), "{piped}");
    assert!(!piped.contains('\u{1b}'), "{piped}");
    let on_tty = Command::new("script")
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .env("INTERLEAVE_DELEGATED", "1")
        .output()
        .expect("util-linux's `script` gives the test a terminal");
    let drawn = String::from_utf8_lossy(&on_tty.stdout);
    assert!(on_tty.status.success(), "{drawn}");
    assert!(drawn.contains("real mode: "), "{drawn}");
    assert!(drawn.contains("of 30 runs"), "{drawn}");
    assert!(drawn.contains("expected ok"), "{drawn}");
}

/// `play` with scripted moves: the naive philosophers each take their first fork and the
/// deadlock is won, with the preemptions used beside the explorer's and its counterexample;
/// letting one philosopher eat first (the control) is not a win.
#[test]
fn play_wins_with_the_moves_that_close_the_cycle_and_only_with_them() {
    let play = |moves: &str| {
        Command::new(env!("CARGO_BIN_EXE_interleave"))
            .args(["play", "philosophers", "naive", "--moves", moves])
            .env_remove("INTERLEAVE_DELEGATED")
            .output()
            .expect("the binary runs")
    };
    let won = play("0,0,0,1,1,0,2,2,3,3,4,4");
    let text = String::from_utf8_lossy(&won.stdout);
    assert_eq!(won.status.code(), Some(0), "{text}{}", stderr(&won));
    assert!(text.contains("You reached the deadlock"), "{text}");
    assert!(
        text.contains("You used 4 preemptions; the exhaustive explorer needs 2"),
        "{text}"
    );
    assert!(
        text.contains("The exhaustive explorer's own counterexample"),
        "{text}"
    );
    let lost =
        play("0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,0,2,2,2,2,2,2,2,2,2,0,3,3,3,3,3,3,3,3,3,0");
    let text = String::from_utf8_lossy(&lost.stdout);
    assert_eq!(lost.status.code(), Some(1), "{text}{}", stderr(&lost));
    assert!(!text.contains("You reached"), "{text}");
    assert!(text.contains("The run ended without the bug"), "{text}");
}

/// The game on a terminal (tmux): the board, a move typed, the board after it.
#[cfg(unix)]
#[test]
fn play_shows_the_board_on_a_terminal() {
    let session = format!("interleave-play-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(args)
            .output()
            .expect("tmux (Debian's package) for the terminal test")
    };
    let bin = env!("CARGO_BIN_EXE_interleave");
    let started = tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "140",
        "-y",
        "50",
        &format!("env -u INTERLEAVE_DELEGATED {bin} play counter racy; sleep 30"),
    ]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let pane = || {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &session]).stdout).into_owned()
    };
    let wait_for = |what: &str| {
        // Up to ten minutes: the first run may build the loom and shuttle configurations.
        for _ in 0..3000 {
            let text = pane();
            if text.contains(what) {
                return text;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        panic!("no '{what}' on the terminal:\n{}", pane());
    };
    let board = wait_for("your move");
    assert!(
        board.contains("who moves next?") && board.contains("next: "),
        "{board}"
    );
    tmux(&["send-keys", "-t", &session, "1", "Enter"]);
    let after = wait_for("after 1 move");
    tmux(&["kill-session", "-t", &session]);
    assert!(after.contains("who moves next?"), "{after}");
}

/// `replay --test` with a name no test has says so and fails, rather than replaying nothing and
/// passing ("running 0 tests").
#[test]
fn replaying_a_test_that_does_not_exist_fails() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["replay", "--manifest-path"])
        .arg(format!("{root}/examples/readers-writer/Cargo.toml"))
        .args(["--test", "no_such_test", "91010b0000000000aa00"])
        .env("CARGO_TARGET_DIR", format!("{root}/target/interleave-test"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("the binary runs");
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("no test is called 'no_such_test'"), "{err}");
}

/// `replay --help` keeps the course's sizes apart from what replaying a test of one's own crate
/// takes, and `--test` with a course size is refused in one line.
#[test]
fn replay_keeps_the_course_sizes_apart_from_a_tests_replay() {
    let help = interleave(&["replay", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    let heading = text
        .find("Sizes of a course model")
        .unwrap_or_else(|| panic!("{text}"));
    let test_option = text
        .find("--test <NAME>")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(test_option < heading, "{text}");
    let mixed = interleave(&["replay", "--test", "t", "--philosophers", "5", "9101"]);
    assert_eq!(mixed.status.code(), Some(2), "{}", stderr(&mixed));
    assert!(
        stderr(&mixed).contains("cannot be used with"),
        "{}",
        stderr(&mixed)
    );
}

/// `play --test` makes the user the scheduler of a test of their own crate: the board shows
/// the threads that may move and what each would do next, a move no thread can make is refused
/// in one line, and a name no test has is said so.
#[test]
fn a_users_own_test_can_be_played() {
    let root = env!("CARGO_MANIFEST_DIR");
    let play = |test: &str, moves: &str| {
        Command::new(env!("CARGO_BIN_EXE_interleave"))
            .args(["play", "--manifest-path"])
            .arg(format!("{root}/examples/readers-writer/Cargo.toml"))
            .args(["--test", test, "--moves", moves])
            .env("CARGO_TARGET_DIR", format!("{root}/target/interleave-test"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("the binary runs")
    };
    let test = "a_writer_that_looks_once_meets_a_reader";
    let start = play(test, "");
    let board = String::from_utf8_lossy(&start.stdout);
    assert_eq!(start.status.code(), Some(1), "{board}{}", stderr(&start));
    assert!(board.contains("who moves next?"), "{board}");
    assert!(board.contains("[1] reader 1"), "{board}");
    assert!(
        board.contains("The moves ran out before the bug"),
        "{board}"
    );
    // Reader 1 moves: its next step is on the board after the move.
    let moved = play(test, "1");
    let board = String::from_utf8_lossy(&moved.stdout);
    assert!(board.contains("after 1 move"), "{board}{}", stderr(&moved));
    let bad = play(test, "9");
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("move 1: thread 9 cannot run there"),
        "{}",
        stderr(&bad)
    );
    let missing = play("no_such_test", "");
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("no test is called 'no_such_test'"),
        "{}",
        stderr(&missing)
    );
}

/// `interleave test --loom-suite` runs a crate's loom suite unchanged under real loom and under
/// interleave-loom, one row per test with each engine's verdict and interleave-loom's
/// executions, and leaves the crate's files as they were (cargo's patch rewrites `Cargo.lock`
/// while it runs).
#[test]
fn a_crates_loom_suite_runs_under_both_engines() {
    let root = env!("CARGO_MANIFEST_DIR");
    let manifest = format!("{root}/examples/loom-suite/Cargo.toml");
    let lock = std::fs::read(format!("{root}/examples/loom-suite/Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["test", "--loom-suite", "--manifest-path", &manifest])
        .env(
            "CARGO_TARGET_DIR",
            format!("{root}/target/loom-suite-example"),
        )
        .env("LOOM_MAX_PREEMPTIONS", "2")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("the binary runs");
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{table}\n{}", stderr(&out));
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .unwrap_or_else(|| panic!("no row for {name}:\n{table}"))
    };
    // test, then each engine's verdict, time (number and unit) and executions.
    for test in ["every_hit_counts", "racy_hits_lose_one"] {
        let cells = row(test);
        assert_eq!((cells[1], cells[5]), ("ok", "ok"), "{table}");
    }
    // Both say what they explored: real loom's log, interleave-loom's summary (the patch took).
    let count = |cell: &str| cell.replace(',', "").parse::<usize>().unwrap();
    let cells = row("every_hit_counts");
    assert!(count(cells[4]) > 1 && count(cells[8]) > 1, "{table}");
    assert!(table.contains("0 with different verdicts"), "{table}");
    let after = std::fs::read(format!("{root}/examples/loom-suite/Cargo.lock")).unwrap();
    assert!(after == lock, "Cargo.lock was not put back");
}

/// `check --shard I/N --out FILE` four times, as four CI jobs or machines would, then `merge`:
/// the report is the single run's, the same verdict and counterexample step by step (the std
/// build hands both to the shuttle build).
#[test]
fn four_shard_processes_merge_into_the_single_runs_report() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/shard-reports");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let check = [
        "check",
        "philosophers",
        "naive",
        "--mode",
        "bounded",
        "--preemptions",
        "2",
    ];
    let delegated = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_interleave"))
            .args(args)
            .env_remove("INTERLEAVE_DELEGATED")
            .output()
            .expect("the binary runs")
    };
    let mut files = Vec::new();
    for i in 0..4 {
        let file = dir.join(format!("{i}.json"));
        let shard = format!("{i}/4");
        let mut args = check.to_vec();
        args.extend(["--shard", &shard, "--out", file.to_str().unwrap()]);
        let out = delegated(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains(&format!("shard {i} of 4")), "{said}");
        files.push(file.to_str().unwrap().to_string());
    }
    let mut merge = vec!["merge", "--format", "json"];
    merge.extend(files.iter().rev().map(String::as_str));
    let merged = delegated(&merge);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let mut single = check.to_vec();
    single.extend(["--format", "json", "-j", "1"]);
    let single = delegated(&single);
    assert!(single.status.success(), "{}", stderr(&single));
    let json = |o: &Output| -> serde_json::Value {
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).trim()).unwrap()
    };
    let (merged, single) = (json(&merged), json(&single));
    assert_eq!(merged["observed"], "deadlock");
    for field in ["observed", "expected"] {
        assert_eq!(merged[field], single[field], "{field}");
    }
    assert_eq!(merged["stats"]["preemption_bound"], 1);
    assert_eq!(single["stats"]["preemption_bound"], 1);
    for field in ["trace", "schedule", "cycle"] {
        assert_eq!(
            merged["failure"][field], single["failure"][field],
            "{field}"
        );
    }
}

#[test]
fn a_shard_or_merge_asked_wrongly_is_one_line_and_exit_2() {
    let not_bounded = interleave(&[
        "check", "counter", "racy", "--shard", "0/2", "--out", "x.json",
    ]);
    assert_eq!(not_bounded.status.code(), Some(2));
    assert!(
        stderr(&not_bounded).contains("add --mode bounded"),
        "{}",
        stderr(&not_bounded)
    );
    let no_shard = interleave(&[
        "check", "counter", "racy", "--mode", "bounded", "--shard", "2/2", "--out", "x.json",
    ]);
    assert_eq!(no_shard.status.code(), Some(2));
    assert!(
        stderr(&no_shard).contains("is not a shard"),
        "{}",
        stderr(&no_shard)
    );
    let readme = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let not_a_report = interleave(&["merge", readme]);
    assert_eq!(not_a_report.status.code(), Some(2));
    assert!(
        stderr(&not_a_report).contains("is not a shard's report"),
        "{}",
        stderr(&not_a_report)
    );
    assert_eq!(
        stderr(&not_a_report).trim().lines().count(),
        1,
        "{}",
        stderr(&not_a_report)
    );
}
