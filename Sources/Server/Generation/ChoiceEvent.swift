import LLM

/// An engine event of one choice of a request.
struct ChoiceEvent: Sendable {
    /// The choice's index in the response.
    var index: Int
    /// What happened.
    var event: GenerationEvent
}
