import XCTest
import ModelFiles
import TestSupport
import Tokenizers

/// Guards against slowing the hot path by an order of magnitude; the bounds leave ample room
/// for a loaded CI machine (measured: about 0.07 ms per 1,900-character question, 40–60 ms to
/// build the Llama 3 tokenizer from an opened file, on a 2-core x86-64 VM).
final class BPEPerformanceTests: XCTestCase {
    static let question = """
        A 67-year-old woman comes to the physician for a follow-up examination. She had a pulmonary \
        embolism and required treatment in the hospital for 3 weeks. She had a retroperitoneal hemorrhage; \
        anticoagulant therapy was temporarily discontinued, and she underwent placement of an inferior vena \
        cava (IVC) filter. She had a hematoma that was resolving on discharge from the hospital 2 weeks ago. \
        Today, she says she has had a persistent sensation of tingling and numbness of her left thigh that \
        she did not report in the hospital because she thought it would go away; the sensation has improved \
        somewhat during the past week. Her only medication is warfarin. Vital signs are within normal limits: \
        blood pressure 128/82 mm Hg, pulse 76/min, INR 2.4 (target 2–3). Examination of the skin shows no \
        abnormalities. Muscle strength is normal. Sensation to light touch is decreased over a 5 x 5-cm area \
        on the lateral aspect of the left anterior thigh. Which of the following is the most likely cause of \
        this patient's decreased sensation?
        A. Cerebral infarction during the hospitalization
        B. Complication of the IVC filter placement
        C. Compression of the lateral femoral cutaneous nerve
        D. Hematoma of the left thigh
        E. Spinal cord infarction secondary to hypotension during the retroperitoneal hemorrhage, which \
        required transfusion of 4 units of packed red blood cells and vasopressor support for 36 hours
        Explanation: The lateral femoral cutaneous nerve (L2–L3) is purely sensory; a retroperitoneal \
        hematoma tracking along the iliacus muscle can compress it, producing meralgia paresthetica with \
        burning, tingling or numbness over the anterolateral thigh and no motor deficit. Symptoms usually \
        resolve as the hematoma is reabsorbed over weeks to months. Anticoagulation with warfarin (INR \
        goal 2.0–3.0) increases the risk of such bleeding; an IVC filter does not injure peripheral nerves.
        Answer: C
        """

    func testEncodingAMedicalQuestionTakesWellUnderAMillisecond() throws {
        let tokenizer = try BPETestVocabularies.llamaBPE.get()
        let text = Self.question
        XCTAssertGreaterThan(text.count, 1800)
        var ids: [Int32] = []
        for _ in 0..<20 { ids = tokenizer.encode(text, addSpecial: true, parseSpecial: true) }
        let runs = 200
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<runs { ids = tokenizer.encode(text, addSpecial: true, parseSpecial: true) }
        let perCall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(runs)
        print(String(format: "encode: %d chars -> %d tokens in %.1f µs (%.1f M chars/s)",
                     text.count, ids.count, perCall * 1e6, Double(text.count) / perCall / 1e6))
        XCTAssertLessThan(perCall, 0.001)
        XCTAssertEqual(tokenizer.decode(ids, special: false), text)
    }

    func testLoadingTheLlama3VocabularyIsFast() throws {
        let gguf = try GGUFFile(path: TestPaths.asset("llama.cpp/models/ggml-vocab-llama-bpe.gguf").path)
        let start = DispatchTime.now().uptimeNanoseconds
        let tokenizer = try BPETokenizer(gguf: gguf)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "tokenizer init: %.1f ms for %d tokens", seconds * 1000, tokenizer.vocabularySize))
        XCTAssertLessThan(seconds, 0.5)
    }
}
