import Foundation

/// Rows printed in aligned columns, two spaces apart, the last column left ragged: the tables of `warden approvals`
/// and `warden pins`.
enum ColumnTable {
    static func print(_ rows: [[String]]) {
        guard let header = rows.first else { return }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            Swift.print(cells.joined(separator: "  "))
        }
    }
}
