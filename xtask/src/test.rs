//! `cargo xtask test`: everything CI checks, with its set-up. On a fresh machine it
//! installs the pinned Prism mock server (`npm ci` from the committed lock file),
//! serves the merged spec on a free loopback port, runs every test against it and
//! stops the server by PID, whatever the outcome.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("`cargo xtask test` takes no arguments (got `{a}`)"));
    }
    let root = crate::root();
    step(
        "cargo fmt --check",
        cargo(&root).args(["fmt", "--all", "--", "--check"]),
    )?;
    step(
        "cargo clippy",
        cargo(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    println!("==> cargo xtask generate --check");
    crate::generate(&["--check".to_string()])?;
    check_fixture_crates(&root)?;

    install_prism(&root)?;
    // The hand-written supplement must be a valid OpenAPI document in its own right,
    // checked by a real validator (and Twilio's files, which pass it too).
    step(
        "validate specs/*.json (swagger-parser)",
        Command::new("node")
            .arg(root.join("xtask/prism/validate-specs.js"))
            .args(crate::default_specs()?.iter().map(|p| root.join(p))),
    )?;
    let spec = root.join("target/xtask/merged-spec.json");
    crate::write_merged_spec(&crate::default_specs()?, &spec)?;
    let prism = Prism::start(&root, &spec)?;
    println!(
        "==> Prism mock server on {} (pid {})",
        prism.url,
        prism.child.id()
    );

    step(
        "cargo test --workspace",
        cargo(&root)
            .args(["test", "--workspace"])
            .env("TWILIO_PRISM_URL", &prism.url),
    )?;
    // The README's example program, end to end against the mock.
    step(
        "cargo run --example teams_hierarchy (against Prism)",
        cargo(&root)
            .args(["run", "--quiet", "-p", crate::DEFAULT_CRATE])
            .args(["--example", "teams_hierarchy"])
            .env("TWILIO_BASE_URL", &prism.url)
            .env("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .env("TWILIO_AUTH_TOKEN", "mock-token")
            .env("FLEX_INSTANCE_SID", "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .env("FLEX_USER_SID", "FU00000000000000000000000000000000")
            .env_remove("TWILIO_REGION")
            .env_remove("TWILIO_EDGE"),
    )?;
    drop(prism);
    step(
        "cargo doc (generated client, warnings denied)",
        cargo(&root)
            .args(["doc", "--no-deps", "-p", crate::DEFAULT_CRATE])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    println!("==> all checks passed");
    Ok(())
}

/// Generates a standalone crate from each fixture spec and runs clippy on it
/// (`#![deny(warnings)]` is in every generated crate): snapshots show what the
/// generator emits, this shows that it builds. The workspace's lock file and
/// target directory are shared so dependencies are built once.
fn check_fixture_crates(root: &Path) -> Result<(), String> {
    let fixtures = root.join("codegen/tests/fixtures");
    let mut specs: Vec<_> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("{}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    for spec in specs {
        let name = format!(
            "fixture-{}",
            spec.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .replace('_', "-")
        );
        let out = root.join("target/xtask/fixtures").join(&name);
        let args: Vec<String> = [
            "--spec",
            &spec.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
            "--crate-name",
            &name,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let a = crate::parse_generate(&args)?;
        let files = codegen::generate(&a.specs, &a.info).map_err(|e| e.to_string())?;
        codegen::write(&a.out, &files).map_err(|e| e.to_string())?;
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| format!("copy Cargo.lock: {e}"))?;
        step(
            &format!("cargo clippy {name}"),
            cargo(root)
                .args(["clippy", "--quiet", "--manifest-path"])
                .arg(out.join("Cargo.toml"))
                .args(["--", "-D", "warnings"])
                .env("CARGO_TARGET_DIR", root.join("target")),
        )?;
    }
    Ok(())
}

fn cargo(root: &Path) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root);
    c
}

fn step(name: &str, cmd: &mut Command) -> Result<(), String> {
    println!("==> {name}");
    let status = cmd
        .status()
        .map_err(|e| format!("{name}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{name} failed ({status})"))
    }
}

/// `npm ci` from the committed lock file, skipped when the installed tree was
/// made from the same lock file.
fn install_prism(root: &Path) -> Result<(), String> {
    let dir = root.join("xtask/prism");
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("xtask/prism/package-lock.json: {e}"))?;
    let stamp = dir.join("node_modules/.xtask-lock-stamp");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..])
        && dir.join("node_modules/.bin/prism").exists()
    {
        return Ok(());
    }
    step(
        "npm ci (Prism mock server, OpenAPI validator)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
    )?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// A running Prism; killed by PID when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(root: &Path, spec: &Path) -> Result<Prism, String> {
        let bin = root.join("xtask/prism/node_modules/.bin/prism");
        let mut child = Command::new(&bin)
            .args(["mock", "-h", "127.0.0.1", "-p", "0"])
            .arg(spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads Prism's log for the port, then keeps draining it so Prism never blocks.
        let log_path = root.join("target/xtask/prism.log");
        std::thread::spawn(move || {
            let mut log = std::fs::File::create(log_path).ok();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.split("listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                }
                if let Some(f) = log.as_mut() {
                    use std::io::Write;
                    let _ = writeln!(f, "{line}");
                }
            }
        });
        let mut prism = Prism {
            child,
            url: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(url) = rx.recv_timeout(Duration::from_millis(200)) {
                prism.url = url;
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism exited before listening ({status}); see target/xtask/prism.log"
                ));
            }
            if Instant::now() > deadline {
                return Err(
                    "Prism did not report a listening port within 60 s; see target/xtask/prism.log"
                        .into(),
                );
            }
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
