/// Seeded, subject-stratified sampling of questions (`--limit N --seed S`): the same questions,
/// seed and limit always give the same sample, on every platform.
public enum QuestionSampler {
    /// `limit` questions of `questions`, in their original order.
    ///
    /// Each stratum (subject, else benchmark) gets a share proportional to its size, rounded by
    /// largest remainder (ties to the larger stratum, then by name) so the total is exactly `limit`;
    /// within a stratum, the questions with the smallest seeded hash of their key are taken. A
    /// `limit` at or above the count returns every question.
    public static func sample(_ questions: [Question], limit: Int, seed: UInt64) -> [Question] {
        guard limit < questions.count else { return questions }
        guard limit > 0 else { return [] }
        var strata: [String: [Int]] = [:]
        for (index, question) in questions.enumerated() {
            strata[question.subject ?? question.benchmark, default: []].append(index)
        }
        let total = questions.count
        var quotas: [(name: String, quota: Int, remainder: Int, size: Int)] = strata.map { name, members in
            let exact = members.count * limit
            return (name, exact / total, exact % total, members.count)
        }
        var left = limit - quotas.reduce(0) { $0 + $1.quota }
        let order = quotas.indices.sorted {
            let a = quotas[$0], b = quotas[$1]
            if a.remainder != b.remainder { return a.remainder > b.remainder }
            if a.size != b.size { return a.size > b.size }
            return a.name < b.name
        }
        for index in order where left > 0 {
            quotas[index].quota += 1
            left -= 1
        }
        var chosen: [Int] = []
        for entry in quotas {
            let ranked = strata[entry.name]!.sorted {
                let a = StableHash.seeded(questions[$0].key, seed: seed), b = StableHash.seeded(questions[$1].key, seed: seed)
                return a != b ? a < b : $0 < $1
            }
            chosen += ranked.prefix(entry.quota)
        }
        return chosen.sorted().map { questions[$0] }
    }
}
