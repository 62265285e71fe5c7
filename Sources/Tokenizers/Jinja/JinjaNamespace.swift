/// The object that `namespace(...)` creates: the one mutable value in a template, so that a loop body
/// can carry state out of the loop (`{% set ns.found = true %}`).
///
/// It is a class because every holder of a namespace must see writes made through any other.
/// A namespace lives within one render, on one thread, which is why the unchecked `Sendable` is sound.
public final class JinjaNamespace: @unchecked Sendable {
    /// The attributes, in the order they were first set.
    public internal(set) var attributes: JinjaObject

    /// A namespace with the given attributes.
    public init(_ attributes: JinjaObject = JinjaObject()) {
        self.attributes = attributes
    }
}
