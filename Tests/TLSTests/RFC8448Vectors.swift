/// RFC 8448 §3, "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256): the values the tests use.
enum RFC8448 {
    static let clientRandom = "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"
    static let clientHandshakeTrafficSecret = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"
    static let serverHandshakeTrafficSecret = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"
    static let clientApplicationTrafficSecret = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"
    static let serverApplicationTrafficSecret = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"

    static let serverHandshakeKey = "3fce516009c21727d0f2e4e86ee403bc"
    static let serverHandshakeIV = "5d313eb2671276ee13000b30"
    static let clientHandshakeKey = "dbfaa693d1762c5b666af5d950258d01"
    static let clientHandshakeIV = "5bd3c71b836e0b76bb73265f"
    static let serverApplicationKey = "9f02283b6c9c07efc26bb9f2ac92e356"
    static let serverApplicationIV = "cf782b88dd83549aadf1e984"
    static let clientApplicationKey = "17422dda596ed5d9acd890e3c63f5051"
    static let clientApplicationIV = "5b78923dee08579033e523d9"

    /// {client} send handshake record: ClientHello.
    static let clientHelloRecord = """
        16030100c4010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece70000061301130313020100
        00910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024
        001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603
        020308040805080604010501060102010402050206020202002d00020101001c00024001
        """
    /// {server} send handshake record: ServerHello.
    static let serverHelloRecord = """
        160303005a020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d
        0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304
        """
    /// {server} send handshake record: EncryptedExtensions … Finished under the server handshake keys.
    static let serverFlightRecord = """
        17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca07612ef9f945cb
        960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13bd9aefb0e57f271585b8ea9bb355c
        7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd
        0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd610928d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09
        ead686945ba246ab66e5edd8044b4c6de3fcf2a89441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad274
        09960dca63d3e688611ea5e22f4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66
        d902f4f292a36ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e1b
        7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052cf93b16499a66db7c
        ca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe5a37668936b335583b599186dc5c69
        18a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999b
        bf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de9
        3b5b845e275592c12335ee340bbc4fddd502784016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c17
        19bfdabf0253fe5175be898e750edc53370d2b
        """
    /// {client} send handshake record: Finished under the client handshake keys.
    static let clientFinishedRecord = """
        170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1caeacab6867d726
        c40546
        """
    /// {client} send application_data record (sequence 0 under the client application keys).
    static let clientApplicationRecord = """
        1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b62974e1f5a6292
        a2977014bd1e3deae63aeebb21694915e4
        """
    /// {server} send application_data record (sequence 1: the NewSessionTicket record was 0).
    static let serverApplicationRecord = """
        17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a59a8fcc49c4bf2e5f0
        a21c0047c2abf332540dd032e167c2955d
        """
    /// {client} send alert record: close_notify (sequence 1).
    static let clientAlertRecord = "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3"
    /// {server} send alert record: close_notify (sequence 2).
    static let serverAlertRecord = "1703030013b58fd67166ebf599d24720cfbe7efa7a8864a9"
    /// The 50 application bytes each side sends: 00 01 … 31.
    static let applicationData: [UInt8] = Array(0...0x31)

    /// The key log an NSS-style TLS stack would write for the connection.
    static let keyLog = """
        # RFC 8448 section 3
        CLIENT_HANDSHAKE_TRAFFIC_SECRET \(clientRandom) \(clientHandshakeTrafficSecret)
        SERVER_HANDSHAKE_TRAFFIC_SECRET \(clientRandom) \(serverHandshakeTrafficSecret)
        CLIENT_TRAFFIC_SECRET_0 \(clientRandom) \(clientApplicationTrafficSecret)
        SERVER_TRAFFIC_SECRET_0 \(clientRandom) \(serverApplicationTrafficSecret)
        """
}
