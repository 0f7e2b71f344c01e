package dev.roomtone.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.roomtone.actors.Result;
import dev.roomtone.protocol.v1.ErrorCode;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.UUID;

/**
 * Member tokens: JWTs signed with the server's key (HMAC-SHA256), each naming one member of one
 * room, with an expiry. A token proves who you are; what you may do is decided by the room's
 * current state, so removal and role changes take effect at once.
 */
public final class Tokens {

  private static final String ISSUER = "roomtone";
  private static final String ROOM_CLAIM = "room";
  /** Longest token accepted at all: anything longer is not ours. */
  private static final int MAX_TOKEN_LENGTH = 4096;

  /** Who a valid token names. */
  public record Member(String roomId, String memberId) {
  }

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;
  private final Duration validity;

  public Tokens(byte[] key, Clock clock, Duration validity) {
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the token key must have at least 256 bits", e);
    }
    this.clock = clock;
    this.validity = validity;
  }

  /** A token for {@code memberId} in {@code roomId}, valid for the configured time. */
  public String issue(String roomId, String memberId) {
    Date now = new Date(clock.millis());
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(memberId)
        .claim(ROOM_CLAIM, roomId)
        .issueTime(now)
        .expirationTime(new Date(now.getTime() + validity.toMillis()))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /** Checks signature, issuer and expiry; the refusal says which check failed, for the member to read. */
  public Result<Member> verify(String token) {
    if (token == null || token.isBlank()) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "A member token is needed: join the room with an invite first.");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "This is not a Roomtone member token.");
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        return Result.refused(ErrorCode.UNAUTHENTICATED, "This token was not issued by this server or was altered.");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date exp = claims.getExpirationTime();
      if (exp == null) {
        return Result.refused(ErrorCode.UNAUTHENTICATED, "This is not a Roomtone member token.");
      }
      if (exp.getTime() <= clock.millis()) {
        return Result.refused(ErrorCode.UNAUTHENTICATED, "This token has expired; join the room again with an invite.");
      }
      Object room = claims.getClaim(ROOM_CLAIM);
      if (!ISSUER.equals(claims.getIssuer()) || !(room instanceof String roomId) || claims.getSubject() == null) {
        return Result.refused(ErrorCode.UNAUTHENTICATED, "This is not a Roomtone member token.");
      }
      return Result.ok(new Member(roomId, claims.getSubject()));
    } catch (ParseException | JOSEException | IllegalStateException e) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "This is not a Roomtone member token.");
    }
  }

  /** Verifies and checks the token is for {@code roomId}. */
  public Result<Member> verifyFor(String token, String roomId) {
    Result<Member> r = verify(token);
    if (r instanceof Result.Ok<Member> ok && !ok.value().roomId().equals(roomId)) {
      return Result.refused(ErrorCode.UNAUTHENTICATED, "This token belongs to another room.");
    }
    return r;
  }
}
