// REPL tests: Tab completion and the command table. Goal: completion offers command words,
// subcommands, flags and live values; every command has help and an example.

import Testing

@testable import Repl

@Suite @MainActor struct CompleterTests {
    var context: CompletionContext {
        var c = CompletionContext()
        c.brokerIDs = ["1", "2", "3"]
        c.lessonIDs = ["welcome"]
        c.topics = ["orders", "payments"]
        c.groups = ["billing"]
        return c
    }

    func complete(_ line: String) -> [String] {
        Completer.candidates(for: line, specs: CommandRegistry.specs, context: context).candidates
    }

    @Test("first words complete from the command table")
    func firstWords() {
        #expect(complete("br") == ["broker"])
        #expect(complete("") .contains("lesson"))
        #expect(complete("zz") == [])
    }

    @Test("subcommands complete after their group word")
    func subcommands() {
        #expect(complete("broker ") == ["kill", "list", "start", "stop"])
        #expect(complete("broker st") == ["start", "stop"])
        #expect(Completer.commonPrefix(complete("broker st")) == "st")
    }

    @Test("arguments complete from live values: broker ids, lesson ids, command names")
    func liveValues() {
        #expect(complete("broker kill ") == ["1", "2", "3"])
        #expect(complete("lesson start w") == ["welcome"])
        #expect(complete("help bro") == ["broker"])
        #expect(complete("help broker k") == ["kill"])
    }

    @Test("topic and group names complete where a command takes them")
    func topicAndGroupNames() {
        #expect(complete("topic describe o") == ["orders"])
        #expect(complete("produce p") == ["payments"])
        #expect(complete("group describe b") == ["billing"])
        #expect(complete("group join billing o") == ["orders"])
        #expect(complete("consume orders --group b") == ["billing"])
    }

    @Test("cluster restart and calc placement complete, with their flags")
    func clusterCommands() {
        #expect(complete("clu") == ["cluster"])
        #expect(complete("cluster ") == ["config", "restart"])
        #expect(complete("calc ") == ["placement", "retention"])
        #expect(complete("cluster restart --") == ["--brokers", "--controllers"])
        #expect(complete("calc placement --brokers 6 --") == ["--partitions", "--replication-factor", "--seed"])
    }

    @Test("topic elect-leaders completes topics and the election types of --type")
    func electLeaders() {
        #expect(complete("topic el") == ["elect-leaders"])
        #expect(complete("topic elect-leaders o") == ["orders"])
        #expect(complete("topic elect-leaders orders 0 --type ") == ["preferred", "unclean"])
        #expect(complete("topic elect-leaders orders 0 --type u") == ["unclean"])
    }

    @Test("every command has a synopsis starting with its words, help text and an example")
    func specsAreComplete() {
        for spec in CommandRegistry.specs {
            #expect(spec.synopsis.hasPrefix(spec.name), "\(spec.name)")
            #expect(!spec.help.isEmpty && !spec.examples.isEmpty, "\(spec.name)")
            for example in spec.examples {
                #expect(example.hasPrefix(spec.name), "\(spec.name): example '\(example)'")
            }
        }
    }

    @Test("the tokenizer honours quotes and escapes")
    func tokenizer() throws {
        #expect(try Tokenizer.split(#"produce orders "hello world" --key 'k 1'"#) == ["produce", "orders", "hello world", "--key", "k 1"])
        #expect(try Tokenizer.split(#"a\ b "" c"#) == ["a b", "", "c"])
        #expect(throws: TokenizeError.self) { try Tokenizer.split("say \"oops") }
    }
}
