//! Which backend the checker explores with: `interleave_loom` under `--cfg loom`, and
//! `interleave_shuttle` under `--cfg shuttle` or with the `loom-api` feature (the
//! loom-compatible crate's) whatever the cfg: a loom suite, switched on by `--cfg loom` or by a
//! cfg of its crate's own (`--cfg crossbeam_loom`), then explores with this crate's bounded engine
//! on shuttle's runtime. Neither in a plain build: real threads.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(interleave_loom)");
    println!("cargo::rustc-check-cfg=cfg(interleave_shuttle)");
    println!("cargo::rerun-if-env-changed=CARGO_CFG_LOOM");
    println!("cargo::rerun-if-env-changed=CARGO_CFG_SHUTTLE");
    let loom = std::env::var_os("CARGO_CFG_LOOM").is_some();
    let shuttle = std::env::var_os("CARGO_CFG_SHUTTLE").is_some();
    let loom_api = std::env::var_os("CARGO_FEATURE_LOOM_API").is_some();
    let loom_backend = std::env::var_os("CARGO_FEATURE_LOOM_BACKEND").is_some();
    if shuttle || loom_api {
        println!("cargo::rustc-cfg=interleave_shuttle");
    } else if loom {
        assert!(
            loom_backend,
            "a --cfg loom build of interleave-check explores with loom (its default feature \
             loom-backend) or with its own engine (feature loom-api): enable one"
        );
        println!("cargo::rustc-cfg=interleave_loom");
    }
}
