import Foundation

/// Reads the rows of a JSON-shaped benchmark file: a JSON array of objects, JSONL (one object a
/// line), or a JSON object whose values are rows (PubMedQA) or lists of rows (HuatuoGPT-o1).
public enum RecordReader {
    /// What a JSON-shaped file holds.
    public enum Layout: Sendable, Equatable {
        /// An array of row objects, or JSONL.
        case rows
        /// An object mapping keys to row objects.
        case keyedRows
        /// An object mapping keys to arrays of row objects.
        case keyedLists
    }

    /// The file's rows and its layout.
    public static func read(_ url: URL) throws -> (layout: Layout, records: [Record]) {
        let data = try load(url)
        return try parse(data, file: url.lastPathComponent)
    }

    /// The rows of `data`, named `file` in messages.
    public static func parse(_ data: Data, file: String) throws -> (layout: Layout, records: [Record]) {
        let data = data.starts(with: [0xEF, 0xBB, 0xBF]) ? Data(data.dropFirst(3)) : data
        guard let first = data.first(where: { !isSpace($0) }) else { throw ImportError.empty(file: file) }
        if first == UInt8(ascii: "[") {
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                throw ImportError.malformed(file: file, location: nil, reason: "invalid JSON array: \(describe(error))")
            }
            guard let array = object as? [Any] else {
                throw ImportError.malformed(file: file, location: nil, reason: "expected a JSON array of objects")
            }
            return (.rows, try array.enumerated().map { index, element in
                guard let fields = element as? [String: Any] else {
                    throw ImportError.malformed(file: file, location: .row(index), reason: "expected a JSON object")
                }
                return Record(fields: fields, location: .row(index), file: file)
            })
        }
        guard first == UInt8(ascii: "{") else {
            throw ImportError.malformed(file: file, location: nil, reason: "expected JSON or JSONL (the file starts with neither `[` nor `{`)")
        }
        // One JSON object for the whole file (a keyed layout, or one-line JSONL), else JSONL.
        if let whole = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if !whole.isEmpty, whole.values.allSatisfy({ $0 is [Any] }) {
                var records: [Record] = []
                for key in whole.keys.sorted() {
                    for (index, element) in (whole[key] as! [Any]).enumerated() {
                        guard let fields = element as? [String: Any] else {
                            throw ImportError.malformed(file: file, location: .key(key, index: index), reason: "expected a JSON object")
                        }
                        records.append(Record(fields: fields, location: .key(key, index: index), file: file))
                    }
                }
                return (.keyedLists, records)
            }
            if !whole.isEmpty, whole.values.allSatisfy({ $0 is [String: Any] }) {
                // Keys sort so that the order is the same on every platform; PubMedQA's keys are PMIDs.
                let records = whole.keys.sorted().map { key in
                    Record(fields: whole[key] as! [String: Any], location: .key(key, index: nil), file: file)
                }
                return (.keyedRows, records)
            }
            return (.rows, [Record(fields: whole, location: .line(1), file: file)])
        }
        return (.rows, try jsonLines(data, file: file))
    }

    /// The rows of a JSONL file; blank lines are skipped, a bad line is an error naming its number.
    public static func jsonLines(_ data: Data, file: String) throws -> [Record] {
        var records: [Record] = []
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            lineNumber += 1
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[start..<end]
            start = end < data.endIndex ? data.index(after: end) : end
            guard line.contains(where: { !isSpace($0) }) else { continue }
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line))
            } catch {
                throw ImportError.malformed(file: file, location: .line(lineNumber), reason: "invalid JSON: \(describe(error))")
            }
            guard let fields = object as? [String: Any] else {
                throw ImportError.malformed(file: file, location: .line(lineNumber), reason: "expected a JSON object")
            }
            records.append(Record(fields: fields, location: .line(lineNumber), file: file))
        }
        guard !records.isEmpty else { throw ImportError.empty(file: file) }
        return records
    }

    static func load(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ImportError.unreadable(file: url.path, reason: describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
