import Foundation
import ModelFiles
import TestSupport
import Tokenizers

/// Tokenizers loaded once per test process from the cached vocabularies.
enum BPETestVocabularies {
    static let llamaBPE: Result<BPETokenizer, Error> = Result {
        try BPETokenizer(gguf: GGUFFile(path: TestPaths.asset("llama.cpp/models/ggml-vocab-llama-bpe.gguf").path))
    }
    static let smolLM2: Result<BPETokenizer, Error> = Result {
        try BPETokenizer(gguf: GGUFFile(path: TestPaths.defaultModel().path))
    }

    /// Texts that exercise every branch of the pre-tokenizers and multi-byte characters split
    /// across tokens.
    static let varied: [String] = [
        "",
        "Hello world",
        "  leading and trailing spaces   ",
        "tabs\tand\nnewlines\r\nand\r\rcarriage returns\n\n\n",
        "A 67-year-old woman's INR is 2.4 (target 2–3); BP 128/82 mm Hg.",
        "1234567890 3.14159 1,000,000 ٣٤٥ ⅫⅣ ²³",
        "中文句子：心肌梗死的危险因素有哪些？ 日本語のテキスト。한국어 문장입니다.",
        "emoji 🦙🧬💊👩🏽‍⚕️ flags 🇫🇷🇯🇵 and ZWJ 👨‍👩‍👧",
        "combining: e\u{301} a\u{308}\u{323} Z\u{35C}\u{361}a\u{489}",
        "control chars \u{0}\u{1}\u{7}\u{1B}[31m\u{7F} and \u{85}\u{A0}\u{2028}\u{3000} odd spaces",
        String(repeating: " ", count: 300) + "x" + String(repeating: "\n", count: 40),
        "I'M YOU'RE we'Ll they'VE it'S don't 'tis '",
        "<|im_start|>not parsed<|im_end|> <s> </s> <|endoftext|>",
        "Ελληνικά, русский текст, עברית, العربية, हिन्दी, ไทย",
        String(repeating: "ACGT", count: 300),
        "\u{10FFFD}\u{E000}\u{FEFF}\u{200B}\u{1F9EC}\u{1D11E}",
    ]
}
