import Foundation
import WardenPolicy

#if canImport(Glibc)
    import Glibc
#endif

extension JournaledAuditStore {
    /// Moves the whole lines between `position` and `to` into the store, a transaction per chunk of about a MiB (a
    /// journal that grew while the database was unavailable is not read into memory at once), advancing `position`
    /// past each chunk committed. A torn last line is left.
    static func move(
        _ descriptor: Int32,
        from position: inout Int,
        to: Int,
        journal: String,
        into store: any AuditJournalDestination,
        rows: inout [UInt64: Int64],
        report: @Sendable (String) -> Void
    ) throws(StoreError) {
        var chunk = 1 << 20
        while position < to {
            let bytes = read(descriptor, from: position, count: min(chunk, to - position))
            let (entries, consumed, unreadable) = AuditJournalEntry.split(bytes)
            if consumed == 0 {
                // No whole line in the chunk: a line longer than it (large arguments kept in full), or a torn end.
                guard bytes.count == chunk else { break }
                chunk *= 2
                continue
            }
            try store.ingest(entries, journal: journal, readTo: position + consumed, rows: &rows)
            if unreadable > 0 {
                // Only a damaged file has whole lines that do not read; say so rather than drop them quietly.
                report("\(unreadable) unreadable line(s) in the audit journal \(journal) were skipped")
            }
            position += consumed
        }
    }

    private static func read(_ descriptor: Int32, from offset: Int, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0, errno == EINTR { continue }
                if got <= 0 { break }
                done += got
            }
        }
        return Array(bytes[..<done])
    }

    // MARK: Recovery

    /// Moves every journal in `directory` that no live process holds into `store`, then deletes it.
    static func recoverOrphans(in directory: String, into store: any AuditJournalDestination, report: @Sendable (String) -> Void) throws(StoreError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names.sorted() where name.hasSuffix(".jsonl") && !name.hasPrefix(".") {
            let path = directory + "/" + name
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { Glibc.close(descriptor) }
            // Held: its process is alive and moves it itself.
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { continue }
            let from = try store.journalReadTo(name)
            let size = Int(status.st_size)
            var rows: [UInt64: Int64] = [:]
            var position = from
            try move(descriptor, from: &position, to: size, journal: name, into: store, rows: &rows, report: report)
            unlink(path)
            try store.forgetJournal(name)
        }
    }
}
