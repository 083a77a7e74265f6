import Packets
import Reassembly

extension TLSConnectionState {
    /// A complete handshake message of `direction` (in clear or decrypted).
    mutating func handshake<Inner: ConnectionConsumer>(
        _ message: HandshakeMessage, _ direction: Direction, _ span: RecordSpan, inner: inout Inner
    ) {
        let side = direction.rawValue
        switch (direction, message.type) {
        case (.clientToServer, 1):
            // A ClientHello once keys are in use is a renegotiation, which is not followed.
            guard directions[side].phase == .clear else { return }
            guard let hello = message.body.withUnsafeBytes({ ClientHello(body: $0) }) else {
                stop(direction, because: .malformed(direction, "the ClientHello cannot be read"), frame: span.lastFrame, inner: &inner)
                return
            }
            // After a HelloRetryRequest the second ClientHello keeps the random (RFC 8446 §4.1.2).
            clientHello = hello
            info.serverName = hello.serverName
            info.offeredVersions = hello.offeredVersions
        case (.serverToClient, 2):
            guard directions[side].phase == .clear, serverHello == nil else { return }
            guard let hello = message.body.withUnsafeBytes({ ServerHello(body: $0) }) else {
                stop(direction, because: .malformed(direction, "the ServerHello cannot be read"), frame: span.lastFrame, inner: &inner)
                return
            }
            info.version = hello.version
            info.cipherSuite = hello.cipherSuite
            if hello.isHelloRetryRequest {
                info.hadHelloRetryRequest = true  // a second ClientHello and the real ServerHello follow
                return
            }
            serverHello = hello
            chooseKeys()
            sink.handshake(info, isDecrypted: blocker == nil, connection: connection)
        case (.serverToClient, 11):
            sawServerCertificate = true
        case (_, 20) where info.version == .tls13 && directions[side].phase == .protected:
            // After its Finished a side protects records with its application traffic secret
            // (RFC 8446 §7.1; EndOfEarlyData and client certificates come before it).
            guard !directions[side].isPastFinished else { return }
            directions[side].isPastFinished = true
            let secret = direction == .clientToServer ? secrets?.clientTrafficSecret0 : secrets?.serverTrafficSecret0
            directions[side].applicationSecret = secret
            directions[side].protection = secret.flatMap { tls13Protection(secret: $0) }
            if secret == nil, blocker == nil {
                blocker = .missingSecret(
                    direction == .clientToServer
                        ? KeyLogLabel.clientTrafficSecret0.rawValue : KeyLogLabel.serverTrafficSecret0.rawValue)
            }
        case (_, 24) where info.version == .tls13:
            // KeyUpdate: the sender's next records use the next secret (RFC 8446 §4.6.3, §7.2).
            guard let secret = directions[side].applicationSecret, let parameters else { return }
            let next = KeySchedule.nextTrafficSecret(secret, hash: parameters.hash)
            directions[side].applicationSecret = next
            directions[side].protection = tls13Protection(secret: next)
        default:
            return
        }
    }

    /// After the ServerHello: looks the connection up in the key log and prepares the decryptors,
    /// or records why there will be none (`blocker`) and only counts bytes from then on.
    mutating func chooseKeys() {
        guard let clientHello, let serverHello, let random = ClientRandom(clientHello.random) else {
            block(.handshakeNotSeen)
            return
        }
        secrets = keys.lookUp(random)
        guard let secrets else {
            block(.noKeys)
            return
        }
        let version = serverHello.version
        guard version == .tls12 || version == .tls13 else {
            block(.unsupported("TLS \(version)"))
            return
        }
        guard let parameters = serverHello.cipherSuite.parameters,
            serverHello.cipherSuite.isTLS13Suite == (version == .tls13)
        else {
            block(.unsupported(serverHello.cipherSuite.name))
            return
        }
        self.parameters = parameters
        if version == .tls13 {
            let client = secrets.clientHandshakeTrafficSecret, server = secrets.serverHandshakeTrafficSecret
            guard client != nil || server != nil || secrets.clientTrafficSecret0 != nil
                || secrets.serverTrafficSecret0 != nil
            else {
                block(.missingSecret("the TLS 1.3 traffic secrets (the key log has only CLIENT_RANDOM)"))
                return
            }
            // Every record after the ServerHello is protected, first with the handshake keys.
            directions[0].phase = .protected
            directions[1].phase = .protected
            directions[0].protection = client.flatMap { tls13Protection(secret: $0) }
            directions[1].protection = server.flatMap { tls13Protection(secret: $0) }
        } else {
            guard let master = secrets.masterSecret else {
                block(.missingSecret(KeyLogLabel.clientRandom.rawValue))
                return
            }
            // RFC 5246 §6.3; each side turns its keys on with its ChangeCipherSpec.
            let block = KeySchedule.keyBlock(
                masterSecret: master, clientRandom: clientHello.random, serverRandom: serverHello.random,
                parameters: parameters)
            let layout: RecordProtection.Layout =
                parameters.aead == .chacha20Poly1305 ? .tls12XORNonce : .tls12ExplicitNonce
            directions[0].pendingProtection = RecordProtection(
                aead: parameters.aead, layout: layout, key: block.client.key, iv: block.client.iv)
            directions[1].pendingProtection = RecordProtection(
                aead: parameters.aead, layout: layout, key: block.server.key, iv: block.server.iv)
        }
    }

    /// TLS 1.3 decryptor for a traffic secret of the negotiated suite.
    func tls13Protection(secret: [UInt8]) -> RecordProtection? {
        guard let parameters, secret.count == parameters.hash.length else { return nil }
        let (key, iv) = KeySchedule.trafficKeys(secret: secret, parameters: parameters)
        return RecordProtection(aead: parameters.aead, layout: .tls13, key: key, iv: iv)
    }

    /// TLS 1.3 with no handshake key for `direction`: tries the application key on a record (the
    /// key log may hold only the application secrets); on success the direction moves on to it.
    mutating func tryApplicationKey(
        _ header: RecordHeader, _ fragment: UnsafeRawBufferPointer, _ direction: Direction
    ) -> RecordProtection? {
        let side = direction.rawValue
        guard info.version == .tls13, !directions[side].isPastFinished else { return nil }
        let secret = direction == .clientToServer ? secrets?.clientTrafficSecret0 : secrets?.serverTrafficSecret0
        guard let secret, var trial = tls13Protection(secret: secret) else { return nil }
        // A fresh decryptor at sequence 0 each time: the first application record is number 0.
        guard case .success = trial.open(type: header.type, version: header.version, fragment: fragment) else {
            return nil
        }
        directions[side].isPastFinished = true
        directions[side].applicationSecret = secret
        return tls13Protection(secret: secret)
    }

    /// Gives up decrypting the connection for `status`; both directions are only counted.
    mutating func block(_ status: DecryptionStatus) {
        blocker = status
        for side in 0..<2 {
            directions[side].phase = .counting
            directions[side].records.reset()
        }
    }
}
