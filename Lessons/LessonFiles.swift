// Lessons: the lesson files compiled into the binary, by name. SwiftPM's embedInCode makes one
// byte array per file; this list names them so the REPL can enumerate them. A test checks that
// every file in Lessons/Files is listed here.

/// Every lesson file shipped with the executable: (file name, Markdown text), in course order.
public let lessonFiles: [(name: String, text: String)] = [
    ("welcome.md", String(decoding: PackageResources.welcome_md, as: UTF8.self)),
    ("why-kafka.md", String(decoding: PackageResources.why_kafka_md, as: UTF8.self)),
    ("topics-and-records.md", String(decoding: PackageResources.topics_and_records_md, as: UTF8.self)),
    ("producer.md", String(decoding: PackageResources.producer_md, as: UTF8.self)),
    ("consumer.md", String(decoding: PackageResources.consumer_md, as: UTF8.self)),
    ("keys-and-partitions.md", String(decoding: PackageResources.keys_and_partitions_md, as: UTF8.self)),
    ("offsets.md", String(decoding: PackageResources.offsets_md, as: UTF8.self)),
    ("storage-and-retention.md", String(decoding: PackageResources.storage_and_retention_md, as: UTF8.self)),
    ("consumer-groups.md", String(decoding: PackageResources.consumer_groups_md, as: UTF8.self)),
    ("rebalance.md", String(decoding: PackageResources.rebalance_md, as: UTF8.self)),
    ("kraft.md", String(decoding: PackageResources.kraft_md, as: UTF8.self)),
    ("replication-factor.md", String(decoding: PackageResources.replication_factor_md, as: UTF8.self)),
    ("failover.md", String(decoding: PackageResources.failover_md, as: UTF8.self)),
    ("capstone.md", String(decoding: PackageResources.capstone_md, as: UTF8.self)),
]
