//! `interleave play`: the student is the scheduler. Each buggy variant of the catalogue is a
//! level; at every point where several threads could run, the board shows each one's next
//! operation and the student picks who moves (`u` undoes, `q` quits). Reaching the bug wins, and
//! the game then says how many preemptions the student used against the fewest the exhaustive
//! explorer needs, and shows the explorer's own counterexample. `--moves 1,0,2` plays a list of
//! moves without a terminal. The game runs in the shuttle build (its scheduler follows the
//! moves); the explorer's figures come from the loom build.

use super::delegate::{delegated_command, run_delegated};
use crate::catalogue::{Model, Variant};
use crate::explore::{Mode, Verdict};
use crate::models;
use anyhow::{bail, Context, Result};
use std::process::ExitCode;

/// The levels, easiest first: every buggy variant, with the fewest preemptions the exhaustive
/// explorer needs to show its bug.
pub(super) fn levels() -> Result<ExitCode> {
    eprintln!("interleave: asking the exhaustive explorer how many preemptions each bug needs…");
    let mut levels = Vec::new();
    for model in models::ALL {
        // The game runs in the shuttle build: a bug only loom's memory model shows is no level.
        let playable = |v: &&Variant| model.expected_in(v, Mode::Random).0 != Verdict::Pass;
        for variant in model.variants.iter().filter(playable) {
            levels.push((
                explorer_bound(model, variant)?,
                model.name,
                variant.name,
                variant.expected,
            ));
        }
    }
    levels.sort_by_key(|l| l.0);
    for (n, (bound, model, variant, verdict)) in levels.iter().enumerate() {
        let bound = bound.map_or(
            "the explorer does not show it exhaustively".to_string(),
            |b| format!("{b} preemption{}", if b == 1 { "" } else { "s" }),
        );
        println!(
            "level {:>2}: interleave play {model} {variant}  ({verdict}; {bound})",
            n + 1
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The preemption bound at which the exhaustive explorer first shows the bug (asked of the loom
/// build), if it does.
fn explorer_bound(model: &Model, variant: &Variant) -> Result<Option<usize>> {
    let mut command = delegated_command("loom")?;
    command.args(["check", model.name, variant.name, "--format", "json"]);
    let (_, stdout) = run_delegated(command, true)?;
    let json: serde_json::Value = stdout
        .lines()
        .find(|l| l.starts_with('{'))
        .map(serde_json::from_str)
        .transpose()
        .context("the loom build printed a report this build cannot read")?
        .context("the loom build printed no report")?;
    let found = json["failure"].is_object();
    Ok(json["stats"]["preemption_bound"]
        .as_u64()
        .filter(|_| found)
        .map(|b| b as usize))
}

/// Plays `variant` of `model`: the explorer's figure from the loom build, the game in the
/// shuttle build, and the explorer's counterexample after a win.
#[cfg(not(shuttle))]
pub(super) fn play(
    model: &str,
    variant: &str,
    moves: Option<&str>,
    given: &[(&str, usize)],
) -> Result<ExitCode> {
    let model = models::find(model).map_err(anyhow::Error::msg)?;
    let variant = model.variant(variant).map_err(anyhow::Error::msg)?;
    if variant.expected == Verdict::Pass {
        bail!(
            "{} / {} has no bug to reach: `interleave play` lists the levels",
            model.name,
            variant.name
        );
    }
    if let (_, Some(why)) = model.expected_in(variant, Mode::Random) {
        bail!(
            "{} / {} is not a level: the game cannot show its bug ({why})",
            model.name,
            variant.name
        );
    }
    let bound = explorer_bound(model, variant)?;
    let mut command = delegated_command("shuttle")?;
    command.args(["play", model.name, variant.name]);
    if let Some(moves) = moves {
        command.args(["--moves", moves]);
    }
    if let Some(b) = bound {
        command.args(["--explorer-bound", &b.to_string()]);
    }
    for (name, value) in given {
        command.args([format!("--{name}"), value.to_string()]);
    }
    let (status, _) = run_delegated(command, false)?;
    if status.code() == Some(0) {
        println!("\nThe exhaustive explorer's own counterexample:");
        let mut command = delegated_command("loom")?;
        command.args(["check", model.name, variant.name]);
        run_delegated(command, false)?;
    }
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(1) => ExitCode::from(1),
        _ => ExitCode::from(2),
    })
}

/// The game itself, in the shuttle build.
#[cfg(shuttle)]
pub(super) fn game(
    model: &str,
    variant: &str,
    moves: Option<&str>,
    explorer_bound: Option<usize>,
    given: &[(&str, usize)],
) -> Result<ExitCode> {
    use crate::catalogue::Params;
    let model = models::find(model).map_err(anyhow::Error::msg)?;
    let variant = model.variant(variant).map_err(anyhow::Error::msg)?;
    let params = Params::for_model(model, Mode::Exhaustive, given).map_err(anyhow::Error::msg)?;
    let title = format!(
        "{} / {} ({}): you are the scheduler. At each point where several threads could run, \
         pick the one that does; reach the {} to win.",
        model.name, variant.name, params, variant.expected
    );
    let position = |played: &[usize]| {
        Ok(
            match crate::catalogue::play(model, variant, &params, played) {
                Ok(board) => Position::read(&board.json(played.len()))?,
                Err(bad) => Err(bad.to_string()),
            },
        )
    };
    run_game(&title, moves, explorer_bound, position)
}

/// Where a game stands, as the checker's board JSON says it: the board to show, the threads
/// that may move, the bug reached (its verdict and words), and whether the run ended.
pub(super) struct Position {
    board: String,
    choices: Vec<usize>,
    reached: Option<(String, String)>,
    ended: bool,
    preemptions: usize,
}

impl Position {
    /// Reads a board (`Board::json`), or the refusal of a move (`{"bad_move": …}`) as `Err`.
    pub(super) fn read(json: &serde_json::Value) -> Result<Result<Position, String>> {
        if let Some(bad) = json["bad_move"].as_str() {
            return Ok(Err(bad.to_string()));
        }
        let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
        let reached = &json["reached"];
        let position = Position {
            board: text(&json["board"]).context("a board without its text")?,
            choices: json["choices"]
                .as_array()
                .context("a board without its choices")?
                .iter()
                .filter_map(|c| c.as_u64().map(|c| c as usize))
                .collect(),
            reached: text(&reached["verdict"]).zip(text(&reached["message"])),
            ended: json["ended"].as_bool().unwrap_or(false),
            preemptions: json["preemptions"].as_u64().unwrap_or(0) as usize,
        };
        Ok(Ok(position))
    }
}

/// Plays a game: `moves` (a list, played without a terminal) or the player's moves read from
/// standard input, each position asked of `position`. 0 when the bug is reached, 1 otherwise.
pub(super) fn run_game(
    title: &str,
    moves: Option<&str>,
    explorer_bound: Option<usize>,
    mut position: impl FnMut(&[usize]) -> Result<Result<Position, String>>,
) -> Result<ExitCode> {
    use std::io::{BufRead, Write};
    let scripted = moves.is_some();
    let mut played: Vec<usize> = match moves {
        Some(list) => list
            .split(',')
            .filter(|m| !m.trim().is_empty())
            .map(|m| m.trim().parse::<usize>())
            .collect::<Result<_, _>>()
            .with_context(|| {
                format!("'{list}' is not a list of thread numbers: write them as 1,0,2")
            })?,
        None => Vec::new(),
    };
    println!("{title}");
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        let board = match position(&played)? {
            Ok(board) => board,
            Err(bad) if scripted => {
                bail!("{bad}: the threads that could run are listed on the board")
            }
            Err(bad) => {
                println!("{bad}; pick one of the threads listed.");
                played.pop();
                continue;
            }
        };
        print!("{}", board.board);
        if let Some((verdict, message)) = &board.reached {
            println!("\nYou reached the {verdict}: {message}");
            println!(
                "You used {} preemption{}{}.",
                board.preemptions,
                if board.preemptions == 1 { "" } else { "s" },
                explorer_bound.map_or(String::new(), |b| format!(
                    "; the exhaustive explorer needs {b}"
                ))
            );
            println!("Your moves: {}", moves_list(&played));
            return Ok(ExitCode::SUCCESS);
        }
        if board.ended {
            println!("\nThe run ended without the bug.");
            if scripted {
                println!("Your moves: {}", moves_list(&played));
                return Ok(ExitCode::from(1));
            }
            println!("Undo (u) and try another thread, or quit (q).");
        } else if scripted {
            println!(
                "\nThe moves ran out before the bug. Your moves: {}",
                moves_list(&played)
            );
            return Ok(ExitCode::from(1));
        }
        print!("your move (a thread's number; u undoes, q quits): ");
        std::io::stdout().flush()?;
        let Some(line) = lines.next() else {
            return Ok(ExitCode::from(1));
        };
        match line?.trim() {
            "q" => return Ok(ExitCode::from(1)),
            "u" => {
                played.pop();
            }
            n => match n.parse::<usize>() {
                Ok(thread) if board.choices.contains(&thread) => played.push(thread),
                _ => println!("'{n}' is not one of the threads listed."),
            },
        }
    }
}

fn moves_list(moves: &[usize]) -> String {
    if moves.is_empty() {
        return "none".to_string();
    }
    moves
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
