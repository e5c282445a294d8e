//! Generator errors. Every error names the spec file and the JSON pointer of the
//! offending node, and says what was expected there.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the input specs (or while writing the output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The spec file (or output file) the problem is in.
    pub file: PathBuf,
    /// RFC 6901 JSON pointer inside `file`; empty for the whole file.
    pub pointer: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Error {
    pub fn new(
        file: impl Into<PathBuf>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            file: file.into(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}#{}: {}",
            self.file.display(),
            self.pointer,
            self.message
        )
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds JSON pointers (RFC 6901): `~` becomes `~0` and `/` becomes `~1` in each token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// This pointer with one more reference token.
    pub fn push(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An error at this pointer in `file`.
    pub fn error(&self, file: &Path, message: impl Into<String>) -> Error {
        Error::new(file, self.0.clone(), message)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
