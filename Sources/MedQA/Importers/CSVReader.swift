import Foundation

/// An RFC 4180 CSV parser: quoted fields with doubled quotes, commas and newlines inside quotes,
/// CRLF or LF line ends. Benchmarks ship CSV written by pandas and by hand, both of which it reads.
public enum CSVReader {
    /// One parsed record and the 1-based line it starts on.
    public struct Row: Sendable, Equatable {
        /// The fields, unquoted.
        public var fields: [String]
        /// The line the record starts on.
        public var line: Int
    }

    /// The records of `text`; blank lines are skipped. An unterminated quote is an error naming the
    /// line where the quoted field began.
    public static func parse(_ text: String, file: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var quoteStart = 1
        var fieldWasQuoted = false
        let bytes = Array(text.utf8)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                rows.append(Row(fields: fields, line: rowStart))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    if field.isEmpty && !fieldWasQuoted {
                        inQuotes = true
                        fieldWasQuoted = true
                        quoteStart = line
                    } else {
                        field.append(byte)  // a stray quote inside an unquoted field: keep it, as pandas does
                    }
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\r"):
                    break
                case UInt8(ascii: "\n"):
                    endRow()
                    line += 1
                    rowStart = line
                default:
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes {
            throw ImportError.malformed(file: file, location: .line(quoteStart), reason: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }

    /// The records of a CSV file with a header row, as `Record`s keyed by the header's column names.
    /// Trailing empty fields beyond the header are tolerated (pandas exports of MedBullets have
    /// them); a non-empty field beyond the header is an error.
    public static func records(_ text: String, file: String) throws -> (header: [String], records: [Record]) {
        let rows = try parse(text, file: file)
        guard let header = rows.first else { throw ImportError.empty(file: file) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var records: [Record] = []
        for row in rows.dropFirst() {
            if row.fields.count > names.count,
                let extra = row.fields[names.count...].firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
            {
                throw ImportError.malformed(
                    file: file, location: .line(row.line),
                    reason: "field \(extra + 1) lies beyond the header's \(names.count) columns (an unquoted comma?)")
            }
            var fields: [String: Any] = [:]
            for (index, name) in names.enumerated() where !name.isEmpty {
                fields[name] = index < row.fields.count ? row.fields[index] : NSNull()
            }
            records.append(Record(fields: fields, location: .line(row.line), file: file))
        }
        return (names, records)
    }
}
