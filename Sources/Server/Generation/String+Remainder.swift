extension String {
    /// The text after `prefix`, when this string starts with it and goes on: what a finished
    /// generation holds beyond what was already streamed (text held back until the end).
    func remainder(after prefix: String) -> String? {
        guard count > prefix.count, hasPrefix(prefix) else { return nil }
        return String(dropFirst(prefix.count))
    }
}
