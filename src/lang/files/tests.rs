use std::path::{Path, PathBuf};

use super::FileAccess;
use crate::lang::tests::eval::run;
use crate::lang::Session;

/// A fresh folder under the system's temporary one, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("nnlearn-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Scratch(dir)
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a folder");
        }
        std::fs::write(&path, bytes).expect("a scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn session_in(dir: &Path) -> Session {
    let mut session = Session::new();
    session.set_file_access(FileAccess::new(
        dir.to_path_buf(),
        [("the script's folder", dir.to_path_buf())],
    ));
    session
}

/// The last line of what running `src` printed (its exception line, for a failure).
fn last_line(session: &mut Session, src: &str) -> String {
    run(session, src)
        .trim_end()
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

#[test]
fn reads_text_as_cpython() {
    let dir = Scratch::new("read");
    dir.file("names.txt", b"emma\nolivia\r\nava\rmia");
    dir.file("data/more.txt", "caf\u{e9}\n".as_bytes());
    let mut session = session_in(&dir.0);
    let out = run(
        &mut session,
        "f = open('names.txt')\nprint(f.read(3), repr(f.readline()), f.readlines())\nf.close()\n\
         print(f.closed, f.name, f.mode, f.encoding, f)\n\
         print(open('names.txt', 'r').read().splitlines())\n\
         with open('names.txt', encoding='utf-8') as g:\n    for line in g:\n        print(repr(line))\n\
         print(g.closed, open('data/more.txt').read(), open('./data/../names.txt', 'rt').readline(2))\n",
    );
    assert_eq!(
        out,
        "emm 'a\\n' ['olivia\\n', 'ava\\n', 'mia']\n\
         True names.txt r UTF-8 <_io.TextIOWrapper name='names.txt' mode='r' encoding='UTF-8'>\n\
         ['emma', 'olivia', 'ava', 'mia']\n'emma\\n'\n'olivia\\n'\n'ava\\n'\n'mia'\n\
         True caf\u{e9}\n em\n"
    );
    assert_eq!(
        last_line(&mut session, "f = open('names.txt')\nf.close()\nf.read()\n"),
        "ValueError: I/O operation on closed file."
    );
    assert_eq!(
        last_line(&mut session, "open('names.txt').write('x')\n"),
        "io.UnsupportedOperation: not writable"
    );
}

#[test]
fn missing_files_directories_and_bad_bytes_are_cpythons_errors() {
    let dir = Scratch::new("errors");
    dir.file("bad.txt", b"ok\xff");
    dir.file("sub/x.txt", b"");
    let mut session = session_in(&dir.0);
    let cases = [
        (
            "open('names.txt')",
            "FileNotFoundError: [Errno 2] No such file or directory: 'names.txt'",
        ),
        (
            "open('')",
            "FileNotFoundError: [Errno 2] No such file or directory: ''",
        ),
        ("open('sub')", "IsADirectoryError: [Errno 21] Is a directory: 'sub'"),
        (
            "open('bad.txt').read()",
            "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 2: invalid start byte",
        ),
        ("open('bad.txt', encoding='latin-1').read()", ""),
        ("open('bad.txt', encoding='klingon')", "LookupError: unknown encoding: klingon"),
        ("open('bad.txt', 'rw')", "ValueError: must have exactly one of create/read/write/append mode"),
        ("open('bad.txt', 'q')", "ValueError: invalid mode: 'q'"),
        ("open(3.5)", "TypeError: expected str, bytes or os.PathLike object, not float"),
    ];
    for (code, want) in cases {
        let got = last_line(&mut session, &format!("print({code}[:0])\n"));
        assert_eq!(got, want, "{code}");
    }
}

#[test]
fn paths_outside_the_allowed_folders_are_refused() {
    let dir = Scratch::new("inside");
    let outside = Scratch::new("outside");
    let secret = outside.file("secret.txt", b"no");
    dir.file("ok.txt", b"yes");
    let mut session = session_in(&dir.0);
    let refused = |session: &mut Session, path: &str| {
        let line = last_line(session, &format!("open({path:?})\n"));
        assert!(
            line.starts_with(&format!(
                "PermissionError: [Errno 13] Permission denied: '{path}'"
            )) && line.contains("nnlearn opens files only inside the script's folder ("),
            "{path}: {line}"
        );
    };
    refused(&mut session, &secret.display().to_string());
    refused(&mut session, "../nowhere/x.txt");
    refused(&mut session, "/etc/passwd");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, dir.0.join("link.txt")).expect("a link");
        refused(&mut session, "link.txt");
    }
    assert_eq!(
        last_line(&mut session, "print(open('ok.txt').read())\n"),
        "yes"
    );
    let line = last_line(&mut session, "open('ok.txt', 'w')\n");
    assert!(
        line.starts_with(
            "PermissionError: [Errno 13] Permission denied: 'ok.txt': nnlearn's open() only reads"
        ),
        "{line}"
    );
}
