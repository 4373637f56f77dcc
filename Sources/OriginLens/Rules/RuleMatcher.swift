/// STUB — replaced by the real matcher over `RuleCatalog`.
public struct RuleMatcher: Sendable {
    public init(extraServices: [String] = []) {}

    /// Matches one origin record against the catalog. `line` is the raw line (or entry) for
    /// the evidence text; `source`/`lineNumber` locate it.
    public func match(_ record: OriginRecord, format: LogFormat, timeUs: Int64,
                      source: String, lineNumber: Int) -> OriginEvent? { nil }
}
