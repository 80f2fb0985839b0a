public import Yams

/// A key and its value in a YAML map, with the key's node so an error about the key points at it.
public struct YAMLEntry {
    public let key: String
    public let keyNode: Node
    public let value: Node

    public init(key: String, keyNode: Node, value: Node) {
        self.key = key
        self.keyNode = keyNode
        self.value = value
    }
}
