//! The course's real programs on the command line: `serve` and `order` (the wine merchant),
//! `ping`, `primes`. std build only, as the programs themselves.

use crate::explore::{Mode, Plan};
use anyhow::{Context, Result};
use std::process::ExitCode;
use std::time::Duration;

pub(super) fn serve(host: &str, port: u16, stock: u32) -> Result<ExitCode> {
    let listener = std::net::TcpListener::bind((host, port))
        .with_context(|| format!("cannot listen on {host}:{port}"))?;
    crate::wine::server::serve(&listener, i64::from(stock), true)?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn order(host: &str, port: u16, bottles: Option<u32>) -> Result<ExitCode> {
    use crate::wine::client::{self, Delivery};
    // The course's `randint(1, 99)`.
    let bottles = bottles.unwrap_or_else(|| rand::Rng::gen_range(&mut rand::thread_rng(), 1..=99));
    let address = format!("{host}:{port}");
    match client::order(&address, bottles, Duration::from_secs(10))? {
        Delivery::Received(n) => {
            println!("{n} bottle(s) received (ordered {bottles})");
            Ok(ExitCode::SUCCESS)
        }
        Delivery::Refused(why) => {
            println!("order refused by the server: {why}");
            Ok(ExitCode::from(1))
        }
        Delivery::Failed => {
            println!("order failed: the server closed without an answer (its stock is gone)");
            Ok(ExitCode::from(1))
        }
    }
}

pub(super) fn primes(count: u64, workers: Option<u64>, seed: u64) -> Result<ExitCode> {
    use crate::primes::{course_numbers, is_prime, parallel, prime_factors, sequential};
    let workers = workers.map_or_else(|| Plan::new(Mode::Real).workers, |w| w as usize);
    let numbers = course_numbers(count as usize, seed);
    let timed = |f: &dyn Fn() -> Vec<Vec<u64>>| {
        let start = std::time::Instant::now();
        let result = f();
        (result, start.elapsed())
    };
    let (one, one_time) = timed(&|| sequential(&numbers, prime_factors));
    let (many, many_time) = timed(&|| parallel(&numbers, prime_factors, workers));
    for (n, factors) in numbers.iter().zip(&one).take(5) {
        println!("{n} -> {factors:?}");
    }
    let primes = parallel(&numbers, is_prime, workers)
        .into_iter()
        .filter(|&p| p)
        .count();
    println!("{count} numbers, {primes} of them prime");
    println!(
        "sequential: {one_time:.2?}; {workers} workers: {many_time:.2?} ({:.2}x)",
        one_time.as_secs_f64() / many_time.as_secs_f64()
    );
    if one == many {
        println!("identical results");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("the results DIFFER");
        Ok(ExitCode::from(1))
    }
}

pub(super) fn ping(hosts: &[String], port: u16, delay: u64, gather: bool) -> Result<ExitCode> {
    use crate::ping::{ping_all, Printer, Printing};
    let printing = if gather {
        Printing::GatheredByMain
    } else {
        Printing::EachUnderLock
    };
    let print: Printer = std::sync::Arc::new(|line: &str| println!("{line}"));
    ping_all(hosts, port, Duration::from_secs(delay), printing, &print);
    Ok(ExitCode::SUCCESS)
}
