/// The policy `warden demo` runs with; `examples/demo-policy.yaml` holds the same text (a test keeps them equal).
public enum DemoPolicy {
    public static let yaml = """
version: 1
description: Guard rails for the Warden demo server (records, exports, charges)
default: allow
hide: [delete_record]

rules:
  - name: exports go to the approved bucket only
    tool: start_export_job
    when:
      args.destination_uri: {not_starts_with: "s3://approved-exports/"}
    action: deny
    reason: Export destination must be the approved bucket

  - name: large charges need finance review
    tool: create_charge
    when:
      any:
        - args.amount: {gt: 500}
        - args.amount: {type: number, lte: 0}
    action: deny
    reason: Charges must be between 0 and 500

  - name: records under legal hold are read-only
    tool: write_record
    when:
      args.id: {starts_with: "legal-"}
    action: deny
    reason: Records under legal hold cannot be changed

tests:
  - name: export to the approved bucket is allowed
    tool: start_export_job
    args: {destination_uri: "s3://approved-exports/q3", dataset: claims}
    expect: allow
  - name: export elsewhere is denied
    tool: start_export_job
    args: {destination_uri: "s3://attacker-bucket/q3"}
    expect: deny
    rule: exports go to the approved bucket only
  - name: leaving the destination out is denied too
    tool: start_export_job
    args: {dataset: claims}
    expect: deny
  - name: a small charge is allowed
    tool: create_charge
    args: {amount: 40, currency: EUR}
    expect: allow
  - name: a large charge is denied
    tool: create_charge
    args: {amount: 1200, currency: EUR}
    expect: deny
    rule: large charges need finance review
  - name: delete is hidden
    tool: delete_record
    args: {id: r-1}
    expect: hidden
"""
}
