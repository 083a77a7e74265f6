import CZlib

/// Compresses `input` with zlib for fixtures: `windowBits` 15 zlib-wrapped, -15 raw deflate, 31 gzip.
func compress(_ input: [UInt8], windowBits: Int32) -> [UInt8] {
    // zlib checks that the stream stays at one address between calls: keep it on the heap.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    guard
        deflateInit2_(stream, 9, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            == Z_OK
    else { return [] }
    defer { deflateEnd(stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(input.count))) + 64)
    var input = input
    let produced = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = UInt32(inBuffer.count)
            stream.pointee.next_out = outBuffer.baseAddress
            stream.pointee.avail_out = UInt32(outBuffer.count)
            _ = deflate(stream, Z_FINISH)
            return outBuffer.count - Int(stream.pointee.avail_out)
        }
    }
    return Array(output[..<produced])
}
