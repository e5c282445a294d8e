//! Records the compiler version for the User-Agent (`rust/1.85.0`), which the
//! standard library does not expose at run time.

fn main() {
    // Cargo sets RUSTC to the compiler that builds this crate.
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = std::process::Command::new(&rustc)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{} --version`: {e}", rustc.to_string_lossy()));
    // `rustc 1.85.0 (4d91de4e4 2025-02-17)`
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("unexpected `rustc --version` output: {text:?}"));
    println!("cargo:rustc-env=TWILIO_CLIENT_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
