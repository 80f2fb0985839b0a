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
            ("eval_js", .execute), ("launch_instance", .write), ("launch_crawl", .execute), ("exec", .execute),
            ("create_user", .write), ("write_file", .write), ("update_record", .write), ("upload", .write), ("send_email", .write),
            ("export_csv", .read), ("set_flag", .write), ("insert_row", .write), ("put_object", .write),
            ("get_user", .read), ("list_files", .read), ("readFile", .read), ("search", .read), ("describe_table", .read),
            ("fetch_url", .read), ("query_logs", .read), ("show_status", .read), ("getRecords", .read),
            ("weather", .other), ("ping", .other), ("", .other), ("deleted_items_report", .other),
        ]
    )
    func classifiesByName(name: String, category: ToolCategory) {
        #expect(ToolClassifier.classify(name: name, description: nil) == category)
    }

    @Test("the description decides only when the name says nothing, and otherwise only makes Warden more careful")
    func descriptionOnlyRaises() {
        #expect(ToolClassifier.classify(name: "cleanup", description: "Permanently deletes old rows") == .destructive)
        #expect(ToolClassifier.classify(name: "settle", description: "Charges the customer's card") == .financial)
        #expect(ToolClassifier.classify(name: "cleanup", description: "Tidies the list") == .other)
        #expect(ToolClassifier.classify(name: "weather", description: "Gets the forecast for a city") == .read)
        #expect(ToolClassifier.classify(name: "delete_user", description: "Just reads things") == .destructive)
        #expect(ToolClassifier.classify(name: "update_row", description: "Deletes the row when value is null") == .destructive)
        #expect(ToolClassifier.classify(name: "update_config", description: "Runs the SQL statement given") == .execute)
        #expect(ToolClassifier.classify(name: "list_deleted_items", description: "Lists items that were deleted") == .read)
    }

    @Test("categories are spelled as in policy files")
    func spelling() {
        #expect(ToolCategory.all.map(\.description) == ["read", "write", "execute", "destructive", "financial", "other"])
        #expect(ToolCategory(name: "financial") == .financial)
        #expect(ToolCategory(name: "money") == nil)
    }
}
