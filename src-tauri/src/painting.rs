//! How WebKitGTK paints on a machine without a GPU (no render node under `/dev/dri`: a
//! virtual machine, a remote desktop, a virtual display). There its GL compositing runs
//! on the CPU through Mesa's software renderer, and each frame reaches the screen a second
//! or more after the page drew it: under Xvfb the first screen showed 1.0 to 1.5 s later
//! than with WebKit's plain software painting (issue 21's release benchmark). So without a
//! GPU the app asks WebKit to paint without compositing; with a GPU WebKit's default stands.
//!
//! WebKit reads its choice from the environment as its processes start, and this workspace
//! forbids the `unsafe` that changing one's own environment needs, so the app starts itself
//! again, at once, with the variable set (the same process: whatever launched it still
//! follows it). Changing the webview's setting after it is made was tried: the window then
//! never painted at all.

/// WebKitGTK's own switch. Set by anyone (to anything), it is left as it is.
pub const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether this machine has a GPU WebKit can render with.
#[must_use]
pub fn has_gpu() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Without a GPU, and unless WebKit's switch was set already, replaces this process with
/// a start of the same program and arguments with the switch on. Returns only when
/// nothing is to be done or the start failed (then WebKit's default is used).
pub fn paint_in_software_without_a_gpu() {
    if std::env::var_os(DISABLE_COMPOSITING).is_some() || has_gpu() {
        return;
    }
    #[cfg(unix)]
    if let Ok(program) = std::env::current_exe() {
        use std::os::unix::process::CommandExt;
        let error = std::process::Command::new(program)
            .args(std::env::args_os().skip(1))
            .env(DISABLE_COMPOSITING, "1")
            .exec();
        // Logging is not set up yet: the terminal is the only place to say it.
        eprintln!("Batchdesk could not start itself with software painting: {error}");
    }
}
