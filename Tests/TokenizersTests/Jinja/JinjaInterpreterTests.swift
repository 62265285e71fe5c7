import Foundation
import XCTest
@testable import Tokenizers

/// Unit tests of the Jinja interpreter. Expected strings are jinja2 3.1.6's output for the same template and
/// context under Hugging Face's settings (trim_blocks, lstrip_blocks, loopcontrols, immutable sandbox).
final class JinjaInterpreterTests: XCTestCase {
    private func render(_ source: String, _ context: [String: JinjaValue] = [:]) throws -> String {
        try ChatTemplate(source).render(context: context)
    }

    /// The `JinjaError` that parsing or rendering `source` throws, or nil when it succeeds.
    private func error(_ source: String, _ context: [String: JinjaValue] = [:]) -> JinjaError? {
        do {
            _ = try render(source, context)
            return nil
        } catch let e as JinjaError {
            return e
        } catch {
            XCTFail("unexpected error type \(type(of: error)): \(error)")
            return nil
        }
    }

    func testTrimBlocksDropsNewlineAfterBlockTag() throws {
        XCTAssertEqual(try render("{% if true %}\nyes\n{% endif %}\nend", [:]), "yes\nend")
    }

    func testLstripBlocksStripsIndentBeforeBlockTag() throws {
        XCTAssertEqual(try render("<ul>\n    {% for x in [1, 2] %}\n    <li>{{ x }}</li>\n    {% endfor %}\n</ul>", [:]), "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>")
    }

    func testLstripDoesNotApplyToVariables() throws {
        XCTAssertEqual(try render("a\n    {{ 'x' }}\nb", [:]), "a\n    x\nb")
    }

    func testMinusStripsWhitespaceBothSides() throws {
        XCTAssertEqual(try render("a   \n  {%- if true -%}  \n  b  {{- ' c ' -}}  d  {%- endif %}", [:]), "ab c d")
    }

    func testPlusDisablesLstrip() throws {
        XCTAssertEqual(try render("a\n    {%+ if true %}b{% endif %}", [:]), "a\n    b")
    }

    func testCommentsAreTrimmedLikeBlocks() throws {
        XCTAssertEqual(try render("a\n  {# note #}\nb{#- x -#}  c", [:]), "a\nbc")
    }

    func testTrailingNewlineIsDropped() throws {
        XCTAssertEqual(try render("hello\n", [:]), "hello")
    }

    func testRawBlockIsVerbatim() throws {
        XCTAssertEqual(try render("{% raw %}{{ not parsed }}{% endraw %}", [:]), "{{ not parsed }}")
    }

    func testLoopVariables() throws {
        XCTAssertEqual(try render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}", [:]), "1032TrueFalse3|2121FalseFalse3|3210FalseTrue3|")
    }

    func testLoopPrevNextAndCycle() throws {
        XCTAssertEqual(try render("{% for x in [1,2,3] %}{{ loop.previtem }}-{{ loop.nextitem }}-{{ loop.cycle('a','b') }};{% endfor %}", [:]), "-2-a;1-3-b;2--a;")
    }

    func testLoopElseAndFilter() throws {
        XCTAssertEqual(try render("{% for x in [1,2,3,4] if x is even %}{{ x }}{{ loop.length }}{% else %}none{% endfor %}|{% for x in [] %}x{% else %}empty{% endfor %}", [:]), "2242|empty")
    }

    func testBreakAndContinue() throws {
        XCTAssertEqual(try render("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", [:]), "0134")
    }

    func testTupleUnpackingOverItems() throws {
        XCTAssertEqual(try render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", ["d": ["b": 1, "a": 2]]), "b=1;a=2;")
    }

    func testSetInsideLoopDoesNotLeak() throws {
        XCTAssertEqual(try render("{% set x = 0 %}{% for i in range(3) %}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}", [:]), "1110")
    }

    func testNamespaceCarriesStateOutOfLoop() throws {
        XCTAssertEqual(try render("{% set ns = namespace(total=0, found=false) %}{% for i in [1,2,3] %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }} {{ ns.found }}", [:]), "6 False")
    }

    func testBlockSet() throws {
        XCTAssertEqual(try render("{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting | upper }}]", ["name": "Ann"]), "[HELLO ANN!]")
    }

    func testMacrosWithDefaultsAndKeywords() throws {
        XCTAssertEqual(try render("{% macro tag(name, cls='x', sep=':') %}<{{ name }}{{ sep }}{{ cls }}>{% endmacro %}{{ tag('a') }}{{ tag('b', sep='=') }}{{ tag('c', 'y') }}", [:]), "<a:x><b=x><c:y>")
    }

    func testCallBlockPassesCaller() throws {
        XCTAssertEqual(try render("{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}inside{% endcall %}", [:]), "[inside]")
    }

    func testFilterBlock() throws {
        XCTAssertEqual(try render("{% filter upper %}shout {{ 'this' }}{% endfilter %}", [:]), "SHOUT THIS")
    }

    func testSlicing() throws {
        XCTAssertEqual(try render("{{ s[1:4] }}|{{ s[::-1] }}|{{ s[-2:] }}|{{ xs[1:] }}|{{ xs[::2] }}|{{ xs[:-1] }}", ["s": "abcdef", "xs": [1, 2, 3, 4]]), "bcd|fedcba|ef|[2, 3, 4]|[1, 3]|[1, 2, 3]")
    }

    func testArithmeticFollowsPython() throws {
        XCTAssertEqual(try render("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 1 + 1.5 }} {{ 'ab' * 2 }} {{ 3 ~ 'x' ~ none }}", [:]), "3 -4 2 3.5 2.0 1024 0.5 2.5 abab 3xNone")
    }

    func testValuesPrintLikePython() throws {
        XCTAssertEqual(try render("{{ 3.0 }} {{ 1e20 }} {{ 1e-5 }} {{ 0.1 + 0.2 }} {{ True }} {{ none }} {{ [1, 'a', none, true, 2.5] }} {{ {'k': 'v', 'n': [1]} }} {{ \"it's\" }} {{ [\"it's\"] }}", [:]), "3.0 1e+20 1e-05 0.30000000000000004 True None [1, 'a', None, True, 2.5] {'k': 'v', 'n': [1]} it's [\"it's\"]")
    }

    func testAndOrReturnOperands() throws {
        XCTAssertEqual(try render("{{ 0 or 'x' }} {{ 'a' and 'b' }} {{ '' and 'b' }}|{{ none or [] }}|{{ not 0 }}", [:]), "x b |[]|True")
    }

    func testTernaryAndComparisonChains() throws {
        XCTAssertEqual(try render("{{ 'y' if 1 < 2 < 3 else 'n' }} {{ 'y' if 1 < 3 < 2 else 'n' }} {{ 'z' if false }}.", [:]), "y n .")
    }

    func testMembership() throws {
        XCTAssertEqual(try render("{{ 'b' in 'abc' }} {{ 2 in [1,2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'abc' }}", [:]), "True True True True")
    }

    func testTests() throws {
        XCTAssertEqual(try render("{{ x is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} {{ true is boolean }} {{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 2 is equalto 2 }} {{ 1 is not none }} {{ 2 is gt 1 }} {{ 'a' is in 'abc' }} {{ false is false }} {{ 1 is true }}", ["x": 1]), "True True True True True True True True True True True True True True True True True True True False")
    }

    func testStringFilters() throws {
        XCTAssertEqual(try render("{{ '  hi  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'hello world' | title }}|{{ 'hELLO' | capitalize }}|{{ 'a-b' | replace('-', '+') }}|{{ 'abc' | upper }}{{ 'ABC' | lower }}|{{ 'one two three' | wordcount }}|{{ 'ab' | center(6) }}|{{ '<a & \"b\">' | e }}", [:]), "hi|hi|Hello World|Hello|a+b|ABCabc|3|  ab  |&lt;a &amp; &#34;b&#34;&gt;")
    }

    func testCollectionFilters() throws {
        XCTAssertEqual(try render("{{ [3,1,2] | sort }} {{ ['b','A','c'] | sort }} {{ [3,1,2] | sort(reverse=true) }} {{ [1,2,2,3] | unique | list }} {{ [1,2,3] | first }} {{ [1,2,3] | last }} {{ [1,2,3] | length }} {{ [1,2,3] | sum }} {{ [1,5,3] | max }} {{ [4,2,8] | min }} {{ [1,2] | reverse | list }} {{ 'abc' | list }} {{ [1,2,3,4,5] | batch(2) | list }}", [:]), "[1, 2, 3] ['A', 'b', 'c'] [3, 2, 1] [1, 2, 3] 1 3 3 6 5 2 [2, 1] ['a', 'b', 'c'] [[1, 2], [3, 4], [5]]")
    }

    func testAttributeFilters() throws {
        XCTAssertEqual(try render("{{ users | map(attribute='name') | join(', ') }}|{{ users | selectattr('admin') | map(attribute='name') | list }}|{{ users | rejectattr('admin') | map(attribute='name') | first }}|{{ users | sort(attribute='age') | map(attribute='name') | join }}|{{ [1,2,3,4] | select('odd') | list }}|{{ [1,2,3,4] | reject('odd') | list }}|{{ ['a','b'] | map('upper') | list }}", ["users": [["name": "Bo", "admin": true, "age": 40], ["name": "Al", "admin": false, "age": 30]]]), "Bo, Al|['Bo']|Al|AlBo|[1, 3]|[2, 4]|['A', 'B']")
    }

    func testDictFilters() throws {
        XCTAssertEqual(try render("{% for k, v in d | dictsort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d | dictsort(by='value') %}{{ k }}{{ v }}{% endfor %} {% for k, v in d | items %}{{ k }}{{ v }}{% endfor %} {{ d.get('a') }} {{ d.get('z', 'none') }} {{ d.keys() | list }} {{ d.values() | list }}", ["d": ["b": 1, "a": 2]]), "a2b1 b1a2 b1a2 2 none ['b', 'a'] [1, 2]")
    }

    func testNumberFilters() throws {
        XCTAssertEqual(try render("{{ '42' | int }} {{ 'x' | int }} {{ '3.5' | float }} {{ 3.7 | int }} {{ -3 | abs }} {{ 2.5 | round }} {{ 3.14159 | round(2) }} {{ 2.1 | round(method='ceil') }} {{ 42 | string }}", [:]), "42 0 3.5 3 3 2.0 3.14 3.0 42")
    }

    func testDefaultFilter() throws {
        XCTAssertEqual(try render("{{ missing | default('fallback') }} {{ '' | default('empty', true) }} {{ '' | d('kept') }}|{{ none | default('x') }}", [:]), "fallback empty |None")
    }

    func testIndentFilter() throws {
        XCTAssertEqual(try render("{{ 'a\nb\n\nc' | indent(2) }}|{{ 'a\nb' | indent(2, first=true) }}|{{ 'a\n\nb' | indent(2, blank=true) }}", [:]), "a\n  b\n\n  c|  a\n  b|a\n  \n  b")
    }

    func testTojsonMatchesJsonDumps() throws {
        XCTAssertEqual(try render("{{ data | tojson }}|{{ data | tojson(indent=2) }}|{{ data | tojson(sort_keys=true) }}|{{ 'é\"\n' | tojson }}|{{ 'é' | tojson(ensure_ascii=true) }}", ["data": ["b": [1, 2.5, nil, true], "a": "x"]]), "{\"b\": [1, 2.5, null, true], \"a\": \"x\"}|{\n  \"b\": [\n    1,\n    2.5,\n    null,\n    true\n  ],\n  \"a\": \"x\"\n}|{\"a\": \"x\", \"b\": [1, 2.5, null, true]}|\"é\\\"\\n\"|\"\\u00e9\"")
    }

    func testStringMethods() throws {
        XCTAssertEqual(try render("{{ '  a b  '.strip() }}|{{ 'xxaxx'.lstrip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'abc'.startswith('ab') }}{{ 'abc'.endswith(('x', 'c')) }}|{{ 'hello'.replace('l', 'L') }}|{{ 'hello'.find('l') }}{{ 'hello'.count('l') }}|{{ '-'.join(['a', 'b']) }}|{{ 'hello world'.title() }}|{{ '{} and {name}'.format(1, name='x') }}|{{ '%s=%d' % ('a', 3) }}", [:]), "a b|axx|['a', 'b', '', 'c']|['a', 'b']|['a', 'b,c']|TrueTrue|heLLo|22|a-b|Hello World|1 and x|a=3")
    }

    func testAttributeAndItemAccess() throws {
        XCTAssertEqual(try render("{{ m.role }} {{ m['content'] }} {{ m.missing }}|{{ xs[0] }} {{ xs[-1] }} {{ xs[5] }}|{{ m.items is defined }}", ["m": ["role": "user", "content": "hi"], "xs": [1, 2, 3]]), "user hi |1 3 |True")
    }

    func testUndefinedPrintsEmpty() throws {
        XCTAssertEqual(try render("[{{ nothing }}][{{ nothing | length }}][{{ nothing is defined }}][{% for x in nothing %}x{% endfor %}][{{ d.nokey }}]", ["d": [:]]), "[][0][False][][]")
    }

    func testWhitespaceInChatStyleTemplate() throws {
        XCTAssertEqual(try render("{%- for m in messages %}\n    {{- '<' + m.role + '>' + m.content | trim + '\n' }}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<assistant>' }}\n{%- endif %}\n", ["messages": [["role": "user", "content": " hi "]], "add_generation_prompt": true]), "<user>hi\n<assistant>")
    }

    func testWithBlockScopes() throws {
        XCTAssertEqual(try render("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]", [:]), "3[]")
    }

    func testStringEscapesInLiterals() throws {
        XCTAssertEqual(try render("{{ 'tab\\there' }}|{{ \"q\\\"uote\" }}|{{ 'nl\\n' | length }}|{{ '\\u00e9' }}", [:]), "tab\there|q\"uote|3|é")
    }

    func testAdjacentStringLiteralsConcatenate() throws {
        XCTAssertEqual(try render("{{ 'a' 'b' \"c\" }}", [:]), "abc")
    }

    func testMacroSeesLaterGlobals() throws {
        XCTAssertEqual(try render("{% macro m() %}{{ x }}{% endmacro %}{% set x = 1 %}{{ m() }}{% set x = 2 %}{{ m() }}", [:]), "12")
    }

    func testIntegerDictKeys() throws {
        XCTAssertEqual(try render("{% for k, v in {0: 'a', 10: 'b', 2: 'c'} | dictsort %}{{ k + 1 }}{{ v }}{% endfor %}", [:]), "1a3c11b")
    }

    func testSafeStringsEscapeWhatIsAddedToThem() throws {
        XCTAssertEqual(try render("{{ 'a<'|safe + '<b>' }}|{{ '<b>' + 'x'|safe }}|{{ '<b>' ~ 'x'|safe }}|{{ '\"q\"'|e }}|{{ ('x'|safe) is escaped }}"),
                       "a<&lt;b&gt;|&lt;b&gt;x|<b>x|&#34;q&#34;|True")
    }

    func testSelectAndMapReturnGenerators() throws {
        XCTAssertEqual(try render("{{ 'yes' if [2, 4] | select('odd') else 'no' }}|{{ [2, 4] | select('odd') | list | length }}|{{ ([1] | map('string')) is iterable }}|{{ ([1] | map('string')) is sequence }}"),
                       "yes|0|True|False")
        guard case .type? = error("{{ [1] | map('string') | length }}") else { return XCTFail("a generator has no length") }
        guard case .type? = error("{{ [1, 2] | select | tojson }}") else { return XCTFail("a generator is not JSON") }
    }

    // MARK: - errors

    func testSyntaxErrorReportsLineAndColumn() {
        guard case let .syntax(message, line, column)? = error("first line\n  {{ 'a' + }}") else {
            return XCTFail("expected a syntax error")
        }
        XCTAssertEqual(line, 2)
        XCTAssertEqual(column, 12)
        XCTAssertTrue(message.contains("}}") || message.contains("print statement"), message)
    }

    func testUnclosedBlockNamesTheMissingTag() {
        guard case let .syntax(message, line, _)? = error("{% for x in xs %}\n{{ x }}") else {
            return XCTFail("expected a syntax error")
        }
        XCTAssertTrue(message.contains("endfor"), message)
        XCTAssertGreaterThanOrEqual(line, 1)
    }

    func testUnknownTagIsASyntaxError() {
        guard case let .syntax(message, line, column)? = error("{% frobnicate %}") else {
            return XCTFail("expected a syntax error")
        }
        XCTAssertTrue(message.contains("frobnicate"), message)
        XCTAssertEqual(line, 1)
        XCTAssertEqual(column, 4)
    }

    func testUnknownFilterFailsAtParseTimeWithItsPosition() {
        XCTAssertThrowsError(try ChatTemplate("ok\n{{ name | shout }}")) { e in
            XCTAssertEqual(e as? JinjaError, .unknownFilter(name: "shout", line: 2, column: 11))
            XCTAssertTrue("\(e)".contains("no filter named 'shout'"), "\(e)")
        }
    }

    func testUnknownFilterInsideIfFailsOnlyWhenReached() throws {
        let template = try ChatTemplate("{% if flag %}{{ x | from_json }}{% endif %}done")
        XCTAssertEqual(try template.render(context: ["flag": false]), "done")
        XCTAssertThrowsError(try template.render(context: ["flag": true, "x": "1"])) { e in
            guard case .unknownFilter(name: "from_json", line: 1, _)? = e as? JinjaError else {
                return XCTFail("expected unknownFilter, got \(e)")
            }
        }
    }

    func testAttributeOfUndefinedRaises() {
        guard case let .undefined(message, line, _)? = error("\n{{ foo.bar }}") else {
            return XCTFail("expected an undefined error")
        }
        XCTAssertTrue(message.contains("foo"), message)
        XCTAssertEqual(line, 2)
        // A missing key is undefined but not an error until something is read from it.
        XCTAssertEqual(try render("[{{ d.x }}]", ["d": [:]]), "[]")
        XCTAssertNotNil(error("{{ d.x.y }}", ["d": [:]]))
        XCTAssertNotNil(error("{{ foo + 1 }}"))
    }

    func testRaiseExceptionSurfacesTheTemplateMessage() {
        let source = "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation must start with user') }}{% endif %}ok"
        XCTAssertEqual(error(source, ["messages": [["role": "system"]]]), .raised(message: "Conversation must start with user"))
        XCTAssertNil(error(source, ["messages": [["role": "user"]]]))
    }

    func testTypeErrorsNameTheTypes() {
        guard case let .type(message, _, _)? = error("{{ 'a' + 1 }}") else { return XCTFail("expected a type error") }
        XCTAssertTrue(message.contains("str"), message)
        guard case .type? = error("{{ 1 < 'a' }}") else { return XCTFail("expected a type error") }
        guard case .type? = error("{% for x in none %}{% endfor %}") else { return XCTFail("expected a type error") }
    }

    func testSandboxForbidsMutatingLists() {
        guard case let .security(message, _, _)? = error("{% set xs = [] %}{{ xs.append(1) }}") else {
            return XCTFail("expected a security error")
        }
        XCTAssertTrue(message.contains("append"), message)
        guard case .security? = error("{% set d = {} %}{{ d.update({'a': 1}) }}") else {
            return XCTFail("expected a security error")
        }
    }

    func testBreakOutsideLoopIsRejected() {
        guard case .syntax? = error("{% break %}") else { return XCTFail("expected a syntax error") }
    }

    // MARK: - context and globals

    func testStrftimeNowUsesTheInjectedClock() throws {
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour, components.minute) = (2024, 7, 26, 9, 30)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let now = calendar.date(from: components)!
        let template = try ChatTemplate("{{ strftime_now('%d %b %Y %H:%M') }}")
        XCTAssertEqual(try template.render(context: [:], now: now), "26 Jul 2024 09:30")
    }

    func testMessagesJSONKeepsExtraFieldsAndKeyOrder() throws {
        let json = #"[{"role": "assistant", "content": "", "tool_calls": [{"name": "f", "arguments": {"z": 1, "a": [true, null, 1.5]}}]}]"#
        let template = try ChatTemplate("{% for m in messages %}{{ m.role }}:{{ m.tool_calls[0].arguments | tojson }}{% endfor %}{{ add_generation_prompt }}")
        XCTAssertEqual(try template.render(messagesJSON: Data(json.utf8), addGenerationPrompt: true),
                       #"assistant:{"z": 1, "a": [true, null, 1.5]}True"#)
    }

    func testChatRenderProvidesTransformersVariables() throws {
        let template = try ChatTemplate("{{ bos_token }}{{ tools is none }}{{ documents is none }}{{ messages | length }}{{ eos_token }}{{ extra_flag }}")
        let rendered = try template.render(messages: [ChatMessage(role: "user", content: "x")], addGenerationPrompt: false,
                                           bosToken: "<s>", eosToken: "</s>", extra: ["extra_flag": true])
        XCTAssertEqual(rendered, "<s>TrueTrue1</s>True")
    }

    func testJSONObjectConversion() throws {
        let object = try JSONSerialization.jsonObject(with: Data(#"{"a": [1, 2.5, true, null, "s"]}"#.utf8))
        XCTAssertEqual(try JinjaValue(jsonObject: object), ["a": [1, 2.5, true, nil, "s"]])
    }

    func testRenderingIsFast() throws {
        let template = try ChatTemplate("{%- for m in messages %}{{- '<|im_start|>' + m['role'] + '\n' + m['content'] | trim + '<|im_end|>\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}")
        let messages = (0..<6).map { ChatMessage(role: $0 % 2 == 0 ? "user" : "assistant", content: "message \($0) with some text") }
        let iterations = 200
        let start = Date()
        for _ in 0..<iterations {
            _ = try template.render(messages: messages, addGenerationPrompt: true)
        }
        let perRender = Date().timeIntervalSince(start) / Double(iterations)
        // Well under a millisecond when optimized; the bound leaves room for unoptimized debug builds.
        XCTAssertLessThan(perRender, 0.005, "a typical chat took \(perRender * 1000) ms to render")
    }
}
