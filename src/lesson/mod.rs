//! Lessons: the typed model, the markdown parser, TeX math to Unicode, the
//! embedded catalog and the learner's saved progress. No terminal I/O here.

pub mod catalog;
pub mod checker;
pub mod math;
pub mod model;
pub mod parse;
pub mod progress;

pub use catalog::Catalog;
pub use model::*;

#[cfg(test)]
pub(crate) mod test_dir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh folder under the system temp folder, removed when dropped.
    pub struct TestDir(PathBuf);

    impl TestDir {
        pub fn new(label: &str) -> TestDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("nnlearn-{label}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create a test folder");
            TestDir(dir)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }

        /// Writes `contents` to `relative`, creating folders on the way.
        pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
            let path = self.0.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create a test folder");
            }
            std::fs::write(&path, contents).expect("write a test file");
            path
        }
    }

    impl Drop for TestDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
