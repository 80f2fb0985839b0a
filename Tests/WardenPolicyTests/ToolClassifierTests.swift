import Testing
import WardenPolicy

struct ToolClassifierTests {
    @Test(
        "the name's words decide the category, most dangerous first",
        arguments: [
            ("delete_record", ToolCategory.destructive), ("dropTable", .destructive), ("purge-cache", .destructive),
            ("truncate_log", .destructive), ("remove_user", .destructive), ("destroy_vm", .destructive),
            ("create_charge", .financial), ("pay_invoice", .financial), ("transferFunds", .financial), ("refund", .financial),
            ("create_payout", .financial), ("run_query", .execute), ("start_dicom_export_job", .execute), ("shell", .execute),
            ("eval_js", .execute), ("launch_instance", .execute), ("exec", .execute),
            ("create_user", .write), ("write_file", .write), ("update_record", .write), ("upload", .write), ("send_email", .write),
            ("export_csv", .write), ("set_flag", .write), ("insert_row", .write), ("put_object", .write),
            ("get_user", .read), ("list_files", .read), ("readFile", .read), ("search", .read), ("describe_table", .read),
            ("fetch_url", .read), ("query_logs", .read), ("show_status", .read), ("getRecords", .read),
            ("weather", .other), ("ping", .other), ("", .other), ("deleted_items_report", .other),
        ]
    )
    func classifiesByName(name: String, category: ToolCategory) {
        #expect(ToolClassifier.classify(name: name, description: nil) == category)
    }

    @Test("the description is read only when the name says nothing, and only to be more careful")
    func descriptionOnlyRaises() {
        #expect(ToolClassifier.classify(name: "cleanup", description: "Permanently deletes old rows") == .destructive)
        #expect(ToolClassifier.classify(name: "settle", description: "Charges the customer's card") == .financial)
        #expect(ToolClassifier.classify(name: "cleanup", description: "Runs a harmless report") == .other)
        #expect(ToolClassifier.classify(name: "delete_user", description: "Just reads things") == .destructive)
        #expect(ToolClassifier.classify(name: "get_user", description: "Deletes everything") == .read)
    }

    @Test("categories are spelled as in policy files")
    func spelling() {
        #expect(ToolCategory.all.map(\.description) == ["read", "write", "execute", "destructive", "financial", "other"])
        #expect(ToolCategory(name: "financial") == .financial)
        #expect(ToolCategory(name: "money") == nil)
    }
}
