import Foundation

extension Process {
    /// Starts the process with no signals blocked.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and Foundation's `Process`
    /// on Linux does not reset it. Async code runs on libdispatch's worker threads, which block
    /// SIGTERM, SIGINT, SIGHUP and most others, so a child spawned there ignores `terminate()`,
    /// `interrupt()` and Ctrl-C, and a later `waitUntilExit()` waits forever (only SIGKILL gets through).
    /// Unblocking every signal on this thread around the spawn gives the child the mask a shell
    /// would give it.
    public func runWithDefaultSignalMask() throws {
        var all = sigset_t(), saved = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_UNBLOCK, &all, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try run()
    }
}
