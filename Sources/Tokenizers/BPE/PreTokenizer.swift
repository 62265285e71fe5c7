/// How text is cut into words before BPE merges run inside each word: the regular expressions of
/// the Hugging Face tokenizers, as llama.cpp implements them for each `tokenizer.ggml.pre` type.
public enum PreTokenizer: Sendable, Equatable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    /// (gpt-2, mpt, olmo, jais, phi-2, roberta-bpe, …).
    case gpt2
    /// Llama 3: case-insensitive contractions, a letter run with one leading non-letter, digits in
    /// groups of up to three, and newlines kept with the whitespace before them (llama-bpe, llama3,
    /// dbrx, smaug-bpe, chatglm-bpe, glm4, pixtral, falcon3, …).
    case llama3
    /// Qwen 2: Llama 3's rules with every digit on its own (qwen2, stablelm2, megrez, hunyuan, …).
    case qwen2
    /// Qwen 3.5: Qwen 2's rules with combining marks kept inside letter runs.
    case qwen35
    /// SmolLM and StarCoder: every digit on its own, then GPT-2's rules (smollm, starcoder, refact,
    /// command-r, codeshell, exaone, minerva).
    case smollm
    /// Falcon: punctuation runs first, then GPT-2's rules, then ASCII digits in threes.
    case falcon
    /// DeepSeek LLM: newlines, Latin/Greek/Cyrillic/… letter runs, ASCII and full-width
    /// punctuation, trailing whitespace, CJK runs and digit runs, each split off in turn.
    case deepseekLLM
    /// DeepSeek Coder: newlines, letter runs, punctuation runs, CJK runs and single digits.
    case deepseekCoder
    /// llama.cpp's fallback for a byte-level vocabulary that names no pre-tokenizer: punctuation
    /// runs, GPT-2's rules, digit runs, then ASCII digits in threes.
    case llamaDefault

    /// The pre-tokenizer that llama.cpp uses for a `tokenizer.ggml.pre` value. Names it does not
    /// know fall back to ``gpt2``, the most common byte-level scheme; an empty name or `default`
    /// gives ``llamaDefault``, as in llama.cpp.
    public init(ggufName: String) {
        switch ggufName {
        case "", "default":
            self = .llamaDefault
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "jina-v5-nano", "dbrx", "smaug-bpe", "chatglm-bpe", "glm4", "glm5":
            self = .llama3
        case "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "stablelm2", "megrez", "hunyuan", "solar-open":
            self = .qwen2
        case "qwen35":
            self = .qwen35
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2":
            self = .smollm
        case "falcon":
            self = .falcon
        case "deepseek-llm":
            self = .deepseekLLM
        case "deepseek-coder":
            self = .deepseekCoder
        default:
            self = .gpt2
        }
    }

    /// Whether llama.cpp looks a whole word up in the vocabulary before merging (`ignore_merges`)
    /// for this `tokenizer.ggml.pre` value; it matters when the merges cannot rebuild a token.
    static func ignoresMerges(ggufName: String) -> Bool {
        switch ggufName {
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "jina-v5-nano", "glm4", "glm5", "minicpm5", "youtu", "tekken", "granite-embed-multi-97m":
            return true
        default:
            return false
        }
    }

    /// Whether llama.cpp adds a BOS token by default for this `tokenizer.ggml.pre` value (the
    /// file's `tokenizer.ggml.add_bos_token` overrides it).
    static func addsBOSByDefault(ggufName: String) -> Bool {
        switch ggufName {
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "jina-v5-nano", "tekken", "chameleon":
            return true
        default:
            return false
        }
    }

    /// The splitting stages, applied in turn: each cuts every piece the previous one produced.
    var stages: [SplitStage] {
        switch self {
        case .gpt2:
            return [.gpt2]
        case .llama3:
            return [.llama3(maxDigits: 3, marksInWords: false)]
        case .qwen2:
            return [.llama3(maxDigits: 1, marksInWords: false)]
        case .qwen35:
            return [.llama3(maxDigits: 1, marksInWords: true)]
        case .smollm:
            return [.isolate(.single(.numbers)), .gpt2]
        case .falcon:
            return [.isolate(.run(.punctuationAndSymbols(withBacktick: true), leadingWhitespace: false)),
                    .gpt2,
                    .isolate(.asciiDigitTriple)]
        case .llamaDefault:
            return [.isolate(.run(.punctuationAndSymbols(withBacktick: false), leadingWhitespace: false)),
                    .gpt2,
                    .isolate(.run(.numbers, leadingWhitespace: false)),
                    .isolate(.asciiDigitTriple)]
        case .deepseekLLM:
            return [.isolate(.single(.newlines)),
                    .isolate(.run(.deepseekLetters, leadingWhitespace: true)),
                    .isolate(.run(.deepseekPunctuation, leadingWhitespace: true)),
                    .isolate(.trailingWhitespace),
                    .isolate(.run(.cjk, leadingWhitespace: false)),
                    .isolate(.run(.numbers, leadingWhitespace: false))]
        case .deepseekCoder:
            return [.isolate(.single(.newlines)),
                    .isolate(.run(.letters, leadingWhitespace: true)),
                    .isolate(.run(.punctuation, leadingWhitespace: true)),
                    .isolate(.run(.cjk, leadingWhitespace: false)),
                    .isolate(.single(.numbers))]
        }
    }
}
