import { describe, expect, it } from "vitest";
import { and, equals, escapeFilterValue, filterProblem, firstRdnValue, isAttributeName, or, startsWith } from "../../mock-safenet/ldap/filter";
import { describeFailure } from "../../mock-safenet/ldap/client";
import { normalizeLdapUrl } from "../../mock-safenet/ldap/settings";
import { InvalidCredentialsError, UnknownStatusCodeError } from "ldapts";

// LDAP filters built from typed text (RFC 4515), DN values, and how failures are told.

describe("escapeFilterValue (RFC 4515 section 3)", () => {
  it("escapes the RFC's own examples", () => {
    // RFC 4515 section 4: (cn=Parens R Us \28for all your parenthetical needs\29), (cn=*\2A*), (filename=C:\5cMyFile), (bin=\00\00\00\04)
    expect(escapeFilterValue("Parens R Us (for all your parenthetical needs)")).toBe("Parens R Us \\28for all your parenthetical needs\\29");
    expect(escapeFilterValue("*")).toBe("\\2a");
    expect(escapeFilterValue("C:\\MyFile")).toBe("C:\\5cMyFile");
    expect(escapeFilterValue("\0\0\0\u0004")).toBe("\\00\\00\\00\u0004");
    expect(escapeFilterValue("Lučić")).toBe("Lučić");
  });

  it("keeps an injection attempt inside one value", () => {
    expect(equals("uid", "*)(uid=*")).toBe("(uid=\\2a\\29\\28uid=\\2a)");
    expect(startsWith("cn", "a*")).toBe("(cn=a\\2a*)");
    expect(filterProblem(and("(objectClass=person)", equals("uid", "x)(|(uid=*")))).toBeNull();
  });

  it("joins filters", () => {
    expect(and("(a=1)", "", "(b=2)")).toBe("(&(a=1)(b=2))");
    expect(and("(a=1)")).toBe("(a=1)");
    expect(or("(a=1)", "(b=2)")).toBe("(|(a=1)(b=2))");
  });
});

describe("a repository's own filter and attribute names", () => {
  it("accepts one balanced filter and refuses the rest with a reason", () => {
    expect(filterProblem("(&(objectCategory=person)(objectClass=user))")).toBeNull();
    expect(filterProblem("(objectClass=inetOrgPerson)")).toBeNull();
    expect(filterProblem("objectClass=person")).toMatch(/in parentheses/);
    expect(filterProblem("(&(objectClass=person)")).toMatch(/parentheses/);
    expect(filterProblem("(a=b)(c=d)")).toMatch(/parentheses/);
    expect(filterProblem("(a=b))(c=d")).toMatch(/parentheses/);
  });

  it("takes attribute descriptions only", () => {
    for (const ok of ["mail", "userPrincipalName", "memberOf", "x-custom-1", "2.5.4.3", "cn;lang-en"]) expect(isAttributeName(ok), ok).toBe(true);
    for (const bad of ["", "mail)(uid=*", "*", "1mail", "mail name", "mail="]) expect(isAttributeName(bad), bad).toBe(false);
  });
});

describe("DN values and URLs", () => {
  it("reads a group's name from its DN", () => {
    expect(firstRdnValue("cn=RAS Admins,ou=Groups,dc=corp,dc=local")).toBe("RAS Admins");
    expect(firstRdnValue("CN=Smith\\, John,OU=People,DC=x")).toBe("Smith, John");
    expect(firstRdnValue("cn=A\\2b B,dc=x")).toBe("A+ B");
    expect(firstRdnValue("cn=Ren\\c3\\a9e,dc=x")).toBe("Renée");
    expect(firstRdnValue("just a name")).toBe("just a name");
    expect(firstRdnValue("cn=😀 Team,dc=x")).toBe("😀 Team");
  });

  it("compares servers by scheme, host and port", () => {
    expect(normalizeLdapUrl("LDAP://Dc1.Corp.Local:389/")).toBe("ldap://dc1.corp.local:389");
    expect(normalizeLdapUrl("ldaps://dc1.corp.local")).not.toBe(normalizeLdapUrl("ldap://dc1.corp.local"));
  });
});

describe("describeFailure", () => {
  const s = { url: "ldap://dc1:389", baseDn: "dc=corp,dc=local" };
  it("says what happened and what to do, never more", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:389"), { code: "ECONNREFUSED" });
    expect(describeFailure(refused, s)).toMatchObject({ status: "unreachable", message: expect.stringMatching(/cannot be reached \(ECONNREFUSED\)\. Check/) });
    expect(describeFailure(new Error("BindRequest: Operation timed out"), s)).toMatchObject({ status: "timeout", message: expect.stringMatching(/within 5 seconds/) });
    expect(describeFailure(new InvalidCredentialsError("bad"), s).status).toBe("bind_failed");
    expect(describeFailure(new UnknownStatusCodeError(10, "Referral"), s).status).toBe("referral");
    const untrusted = Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(describeFailure(untrusted, s)).toMatchObject({ status: "tls_untrusted", message: expect.stringMatching(/NODE_EXTRA_CA_CERTS/) });
  });
});
