//! The crate's loom suite, as loom's documentation writes one.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use loom_suite_example::Hits;

fn two_threads_hit(hit: fn(&Hits)) -> usize {
    let hits = Arc::new(Hits::default());
    let other = hits.clone();
    let t = thread::spawn(move || hit(&other));
    hit(&hits);
    t.join().unwrap();
    hits.count()
}

#[test]
fn every_hit_counts() {
    loom::model(|| assert_eq!(two_threads_hit(Hits::hit), 2));
}

#[test]
#[should_panic]
fn racy_hits_lose_one() {
    loom::model(|| assert_eq!(two_threads_hit(Hits::hit_racily), 2));
}
