import CZlib

/// Streaming gzip/deflate decoder over zlib, with a cap on the output.
///
/// A class because zlib keeps a pointer back to its `z_stream` (`inflateStateCheck` compares
/// `strm->state->strm` with `strm`): the stream lives at a fixed heap address from `inflateInit2_`
/// to `inflateEnd` in `deinit`. One decoder serves one body and is not shared.
final class ContentDecoder {
    /// The codings zlib undoes.
    enum Coding: Equatable {
        /// RFC 1952 (also `x-gzip`); concatenated members are decoded one after another.
        case gzip
        /// "deflate" is meant to be RFC 1950 (zlib-wrapped) but servers also send raw RFC 1951 data;
        /// the first two bytes tell them apart.
        case deflate

        /// The coding named by a `Content-Encoding`/`Transfer-Encoding` token, or nil.
        init?(token: String) {
            switch token {
            case "gzip", "x-gzip": self = .gzip
            case "deflate": self = .deflate
            default: return nil
            }
        }
    }

    /// The result of feeding input.
    enum Outcome: Equatable {
        /// All input consumed; more may follow.
        case needsInput
        /// The output reached the cap; later input is ignored.
        case capped
        /// The data is not valid for the coding; later input is ignored.
        case failed(String)
    }

    /// Decoder state.
    private enum State {
        /// Waiting for the two bytes that tell zlib-wrapped from raw deflate.
        case sniffing([UInt8])
        /// zlib initialised.
        case inflating
        /// The compressed stream ended (for deflate, trailing bytes are ignored).
        case finished
        /// Stopped by the cap or an error.
        case stopped
    }

    private let coding: Coding
    private let stream: UnsafeMutablePointer<z_stream>
    private var state: State
    private var isInitialized = false
    private static let scratchSize = 16 * 1024
    private let scratch: UnsafeMutablePointer<UInt8>

    /// A decoder for `coding`.
    init(coding: Coding) {
        self.coding = coding
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        scratch = .allocate(capacity: Self.scratchSize)
        state = .sniffing([])
    }

    deinit {
        if isInitialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        scratch.deallocate()
    }

    /// Decodes `input`, appending to `output` while `output.count < limit`.
    func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) -> Outcome {
        switch state {
        case .finished: return .needsInput
        case .stopped: return .needsInput
        case .inflating: return inflate(input, into: &output, limit: limit)
        case .sniffing(var prefix):
            prefix.append(contentsOf: input)
            if coding == .deflate && prefix.count < 2 {
                state = .sniffing(prefix)
                return .needsInput
            }
            return start(with: prefix, into: &output, limit: limit)
        }
    }

    /// The body ended: nil when the compressed stream was complete, otherwise why not.
    func finish(into output: inout [UInt8], limit: Int) -> String? {
        if case .sniffing(let prefix) = state {
            if prefix.isEmpty { return nil }  // an empty body decodes to nothing
            if case .failed(let reason) = start(with: prefix, into: &output, limit: limit) { return reason }
        }
        switch state {
        case .finished, .stopped: return nil
        case .inflating, .sniffing: return "The compressed body ends before its end-of-stream marker."
        }
    }

    private func start(with prefix: [UInt8], into output: inout [UInt8], limit: Int) -> Outcome {
        let windowBits: Int32
        switch coding {
        case .gzip:
            windowBits = 15 + 16  // zlib: +16 selects the gzip wrapper
        case .deflate:
            // RFC 1950 §2.2: CM (low nibble of CMF) is 8, and CMF·256 + FLG is a multiple of 31.
            let isZlib = prefix.count >= 2 && prefix[0] & 0x0F == 8 && (Int(prefix[0]) * 256 + Int(prefix[1])) % 31 == 0
            windowBits = isZlib ? 15 : -15  // negative: raw deflate
        }
        guard inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            state = .stopped
            return .failed("zlib could not be initialised.")
        }
        isInitialized = true
        state = .inflating
        return prefix.withUnsafeBytes { inflate($0, into: &output, limit: limit) }
    }

    private func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) -> Outcome {
        // `avail_in` is 32 bits wide: feed larger inputs in pieces.
        var rest = input
        while rest.count > Int(UInt32.max) {
            let outcome = inflatePiece(UnsafeRawBufferPointer(rebasing: rest[..<Int(UInt32.max)]), into: &output, limit: limit)
            guard case .needsInput = outcome, case .inflating = state else { return outcome }
            rest = UnsafeRawBufferPointer(rebasing: rest[Int(UInt32.max)...])
        }
        return inflatePiece(rest, into: &output, limit: limit)
    }

    private func inflatePiece(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) -> Outcome {
        guard let base = input.baseAddress, !input.isEmpty else { return .needsInput }
        // zlib reads through `next_in` but never writes (it is `z_const`); the mutable cast is only for the C type.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)  // inflate() split the input to fit
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = scratch
            stream.pointee.avail_out = UInt32(Self.scratchSize)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let produced = Self.scratchSize - Int(stream.pointee.avail_out)
            let room = max(0, limit - output.count)
            output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: min(produced, room)))
            if produced > room {
                state = .stopped
                return .capped
            }
            switch status {
            case Z_OK:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return .needsInput }
            case Z_BUF_ERROR:
                return .needsInput  // no progress possible without more input
            case Z_STREAM_END:
                if coding == .gzip && stream.pointee.avail_in > 0 {
                    inflateReset(stream)  // RFC 1952 §2.2: a gzip file may hold several members
                    continue
                }
                state = .finished
                return .needsInput
            default:
                state = .stopped
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                return .failed("The compressed body does not decode (\(detail)).")
            }
        }
    }
}
