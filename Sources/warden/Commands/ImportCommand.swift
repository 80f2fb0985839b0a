import ArgumentParser
import Foundation
import WardenPolicy

/// `warden import`: turns another gateway's policy into a Warden policy.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert another tool's policy file into a Warden policy.",
        subcommands: [Intercept.self]
    )

    /// `warden import intercept FILE [-o OUT]`.
    struct Intercept: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "intercept",
            abstract: "Convert a PolicyLayer Intercept policy (version 1) into a Warden policy.",
            discussion: """
                Prints the Warden policy (or writes it with -o) and, on standard error, everything that could not be \
                carried over exactly and why. Exits 1 when the Intercept file cannot be read or is not a valid policy.
                """
        )

        @Argument(help: "The Intercept policy file.")
        var file: String

        @Option(name: [.short, .customLong("output")], help: "Write the Warden policy to this file instead of standard output.")
        var output: String?

        func run() throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                printError("\(file): cannot read the Intercept policy: \((error as NSError).localizedDescription)")
                throw ExitCode(1)
            }
            let policy: InterceptPolicy
            do {
                policy = try InterceptReader.read(yaml: text, fileName: file)
            } catch {
                printError(error.description)
                printError("\(file): not a valid Intercept policy; nothing was converted")
                throw ExitCode(1)
            }
            let conversion = InterceptConverter.convert(policy, sourceName: file)
            // The converter's output must load; if it ever does not, say so rather than hand over a broken file.
            do {
                _ = try PolicyLoader.load(yaml: conversion.yaml, fileName: output ?? "(converted policy)")
            } catch {
                printError("the converted policy does not load, which is a bug in warden import:\n\(error.description)")
                throw ExitCode(70)
            }
            if let output {
                do {
                    try conversion.yaml.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    printError("\(output): cannot write the Warden policy: \((error as NSError).localizedDescription)")
                    throw ExitCode(1)
                }
                printError("wrote \(output)")
            } else {
                print(conversion.yaml, terminator: "")
            }
            if conversion.notes.isEmpty {
                printError("everything in \(file) was carried over")
            } else {
                printError("not carried over exactly (\(conversion.notes.count)):")
                for note in conversion.notes { printError("\(note.description) [\(note.kind)]") }
            }
        }
    }
}
