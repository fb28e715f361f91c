//! CUDA availability without a GPU: the probe gives a readable reason and
//! never panics, also when a (fake) driver is installed but finds no device,
//! or is broken. The fake `libcuda.so.1` is a C stub compiled here with `cc`;
//! the probe runs in a subprocess (this test binary again) whose
//! LD_LIBRARY_PATH points at it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use nnlearn::tensor::cuda::{self, errors, CudaStatus};
use nnlearn::tensor::{CpuStorage, Device};

/// What the probe says, one line each, for the parent tests to read.
#[test]
#[ignore = "run by the stub-driver tests in a subprocess"]
fn probe_child() {
    // A line break first: libtest has just printed "test probe_child ... ".
    println!();
    println!("STATUS: {}", cuda::cuda_status().summary());
    println!("AVAILABLE: {}", cuda::is_available());
    println!("COUNT: {}", cuda::device_count());
    match cuda::upload(&CpuStorage::F32(vec![1.0])) {
        Ok(_) => println!("UPLOAD: ok"),
        Err(e) => println!("UPLOAD: {}: {e}", e.class()),
    }
}

#[test]
fn the_probe_explains_itself_and_never_panics() {
    let status = cuda::cuda_status();
    println!("{}", status.summary());
    match status {
        CudaStatus::Unavailable(reason) => {
            assert!(!reason.is_empty());
            assert!(!cuda::is_available());
            assert_eq!(cuda::device_count(), 0);
            let err = errors::check_device(Device::Cuda(0)).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "CUDA is not available: {reason}. Tensors can stay on the CPU (device='cpu')."
                )
            );
            let err = cuda::upload(&CpuStorage::Bool(vec![true])).unwrap_err();
            assert_eq!(err.class(), "RuntimeError");
        }
        CudaStatus::Available {
            name,
            memory,
            device_count,
            ..
        } => {
            assert!(!name.is_empty() && *memory > 0 && *device_count > 0);
            assert!(cuda::is_available());
        }
    }
    assert_eq!(errors::check_device(Device::Cpu), Ok(()));
}

#[test]
fn a_driver_without_devices_falls_back_cleanly() {
    let Some(names) = driver_symbols() else {
        return;
    };
    let mut c = String::from(STUB_HEADER);
    for name in names.iter().filter(|n| !STUBBED.contains(&n.as_str())) {
        c.push_str(&format!("int {name}(void) {{ return 100; }}\n"));
    }
    let Some(out) = probe_with_stub("nodevice", &c) else {
        return;
    };
    let reason = "no CUDA-capable device is detected (CUDA_ERROR_NO_DEVICE)";
    expect_lines(
        &out,
        &[
            &format!("STATUS: CUDA unavailable: {reason}"),
            "AVAILABLE: false",
            "COUNT: 0",
            &format!(
                "UPLOAD: RuntimeError: CUDA is not available: {reason}. Tensors can stay on the CPU (device='cpu')."
            ),
        ],
    );
}

#[test]
fn a_broken_driver_falls_back_cleanly() {
    // A libcuda with cuInit only: cudarc panics resolving the other symbols.
    let Some(out) = probe_with_stub("broken", "int cuInit(unsigned f) { return 0; }\n") else {
        return;
    };
    let status = out
        .lines()
        .find(|l| l.starts_with("STATUS: "))
        .unwrap_or_default();
    assert!(
        status.starts_with(
            "STATUS: CUDA unavailable: the CUDA libraries are broken or incompatible; nnlearn needs CUDA 12.6 or newer ("
        ) && status.contains("Expected symbol in library"),
        "{out}"
    );
    expect_lines(&out, &["AVAILABLE: false", "COUNT: 0"]);
}

/// Real behaviour for the calls the probe makes; every other symbol fails
/// with CUDA_ERROR_NO_DEVICE (100).
const STUB_HEADER: &str = r#"
int cuInit(unsigned flags) { return 100; }
int cuDriverGetVersion(int *v) { *v = 12080; return 0; }
int cuGetErrorString(int e, const char **s) { *s = e == 100 ? "no CUDA-capable device is detected" : "unknown error"; return 0; }
int cuGetErrorName(int e, const char **s) { *s = e == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN"; return 0; }
"#;
const STUBBED: [&str; 4] = [
    "cuInit",
    "cuDriverGetVersion",
    "cuGetErrorString",
    "cuGetErrorName",
];

/// The driver symbols cudarc resolves, read from this test binary (cudarc
/// keeps each as a NUL-terminated literal), so the stub follows cudarc's version.
fn driver_symbols() -> Option<BTreeSet<String>> {
    let exe = std::env::current_exe().ok()?;
    let bytes = std::fs::read(exe).ok()?;
    let mut names = BTreeSet::new();
    for chunk in bytes.split(|&b| b == 0) {
        let tail_start = chunk
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .map_or(0, |i| i + 1);
        let tail = &chunk[tail_start..];
        let start = (0..tail.len().saturating_sub(2))
            .rev()
            .find(|&i| tail[i..].starts_with(b"cu") && tail[i + 2].is_ascii_uppercase());
        if let Some(i) = start {
            names.insert(String::from_utf8_lossy(&tail[i..]).into_owned());
        }
    }
    if names.len() < 300 || !names.contains("cuInit") {
        println!(
            "skipped: found only {} driver symbol names in the test binary",
            names.len()
        );
        return None;
    }
    Some(names)
}

/// Builds `libcuda.so.1` from `c_source` and runs `probe_child` against it.
fn probe_with_stub(name: &str, c_source: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("nnlearn-cuda-stub-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let src = dir.join("stub.c");
    std::fs::write(&src, c_source).ok()?;
    let lib = dir.join("libcuda.so.1");
    let built = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&lib)
        .arg(&src)
        .output();
    match built {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!("cc failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            println!("skipped: no C compiler (cc: {e})");
            return None;
        }
    }
    link_or_copy(&lib, &dir.join("libcuda.so"));
    let out = Command::new(std::env::current_exe().ok()?)
        .args([
            "--exact",
            "probe_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "the probe crashed:\n{stdout}\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "a panic message leaked:\n{stderr}"
    );
    Some(stdout)
}

fn link_or_copy(target: &Path, link: &PathBuf) {
    if std::os::unix::fs::symlink(target, link).is_err() {
        std::fs::copy(target, link).expect("copy the stub library");
    }
}

fn expect_lines(out: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            out.lines().any(|l| l == *line),
            "missing {line:?} in:\n{out}"
        );
    }
}
