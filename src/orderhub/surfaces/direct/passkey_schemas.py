"""The consumer API's passkey vocabulary (WebAuthn), camelCase on the wire.

Options are answered as the browser takes them (`navigator.credentials.create({publicKey})`
and `.get({publicKey})`), binary values in base64url. A credential is sent back as the
browser's `PublicKeyCredential.toJSON()` gives it (WebAuthn level 3): every member that
JSON may hold is declared and bounded here, including those we do not use
(`publicKeyAlgorithm`, `clientExtensionResults`...), and anything else is refused like
any unknown field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from orderhub.surfaces.schemas import Id, Name, RequestModel, WireModel, path_id

PasskeyId = path_id("Passkey ID")


def _b64url(max_length: int, *, empty: bool = False) -> Any:
    pattern = r"^[A-Za-z0-9_-]*={0,2}$" if empty else r"^[A-Za-z0-9_-]+={0,2}$"
    return Annotated[
        str, Field(min_length=0 if empty else 1, max_length=max_length, pattern=pattern)
    ]


# WebAuthn credential ids are at most 1023 bytes (1364 characters of base64url).
CredentialIdText = _b64url(1400)
ClientDataText = _b64url(4096)
AttestationText = _b64url(32_768)  # "packed" attestation with certificates: a few KB
AuthenticatorDataText = _b64url(4096)
SignatureText = _b64url(1024)
UserHandleText = _b64url(128, empty=True)
PublicKeyText = _b64url(4096)
BlobText = _b64url(4096)
PrfText = _b64url(128)


Attachment = Literal["platform", "cross-platform"]


class CredPropsIn(RequestModel):
    rk: bool | None = None


class LargeBlobIn(RequestModel):
    supported: bool | None = None
    blob: BlobText | None = None
    written: bool | None = None


class PrfValuesIn(RequestModel):
    first: PrfText
    second: PrfText | None = None


class PrfIn(RequestModel):
    enabled: bool | None = None
    results: PrfValuesIn | None = None


class ClientExtensionResultsIn(RequestModel):
    """The extension outputs browsers report (`getClientExtensionResults()`); not used."""

    cred_props: CredPropsIn | None = None
    appid: bool | None = None
    appid_exclude: bool | None = None
    hmac_create_secret: bool | None = None
    large_blob: LargeBlobIn | None = None
    prf: PrfIn | None = None


class AttestationResponseIn(RequestModel):
    client_data_json: Annotated[ClientDataText, Field(alias="clientDataJSON")]
    attestation_object: Annotated[AttestationText, Field(alias="attestationObject")]
    transports: Annotated[list[Annotated[str, Field(max_length=32)]], Field(max_length=10)] = []
    # What toJSON() adds from the attestation object; read from that object, not these.
    authenticator_data: AuthenticatorDataText | None = None
    public_key: PublicKeyText | None = None
    public_key_algorithm: Annotated[int, Field(ge=-65536, le=65535)] | None = None


class RegistrationCredentialIn(RequestModel):
    id: CredentialIdText
    raw_id: CredentialIdText
    type: Literal["public-key"]
    response: AttestationResponseIn
    authenticator_attachment: Attachment | None = None
    client_extension_results: ClientExtensionResultsIn | None = None


class AssertionResponseIn(RequestModel):
    client_data_json: Annotated[ClientDataText, Field(alias="clientDataJSON")]
    authenticator_data: Annotated[AuthenticatorDataText, Field(alias="authenticatorData")]
    signature: SignatureText
    user_handle: Annotated[UserHandleText | None, Field(alias="userHandle")] = None


class AuthenticationCredentialIn(RequestModel):
    id: CredentialIdText
    raw_id: CredentialIdText
    type: Literal["public-key"]
    response: AssertionResponseIn
    authenticator_attachment: Attachment | None = None
    client_extension_results: ClientExtensionResultsIn | None = None


def credential_json(credential: RequestModel) -> dict[str, Any]:
    """The credential as py_webauthn reads it (the browser's JSON, empty members left out)."""
    data = credential.model_dump(by_alias=True, exclude_none=True)
    if data.get("response", {}).get("userHandle") == "":
        del data["response"]["userHandle"]  # some browsers send "" for "none"
    return data


class PasskeyCreateIn(RequestModel):
    challenge_id: Id
    credential: RegistrationCredentialIn
    name: Annotated[Name | None, Field(examples=["Alex's phone"])] = None


class AuthenticationOptionsIn(RequestModel):
    username: Annotated[
        str | None, Field(min_length=3, max_length=254, examples=["2145550100"])
    ] = None


class PasskeyAuthIn(RequestModel):
    challenge_id: Id
    credential: AuthenticationCredentialIn


# ---- options ---------------------------------------------------------------------------------


class RelyingPartyOut(WireModel):
    id: str
    name: str


class UserEntityOut(WireModel):
    id: str
    name: str
    display_name: str


class CredentialParameterOut(WireModel):
    type: str
    alg: int


class CredentialDescriptorOut(WireModel):
    id: str
    type: str
    transports: list[str] | None = None


class AuthenticatorSelectionOut(WireModel):
    authenticator_attachment: str | None = None
    resident_key: str | None = None
    require_resident_key: bool | None = None
    user_verification: str | None = None


class CreationOptionsOut(WireModel):
    rp: RelyingPartyOut
    user: UserEntityOut
    challenge: str
    pub_key_cred_params: list[CredentialParameterOut]
    timeout: int
    exclude_credentials: list[CredentialDescriptorOut]
    authenticator_selection: AuthenticatorSelectionOut | None = None
    attestation: str
    hints: list[str] | None = None


class RequestOptionsOut(WireModel):
    challenge: str
    timeout: int
    rp_id: str
    allow_credentials: list[CredentialDescriptorOut]
    user_verification: str


class RegistrationOptionsOut(WireModel):
    challenge_id: str
    expires_at: datetime
    public_key: CreationOptionsOut


class AuthenticationOptionsOut(WireModel):
    challenge_id: str
    expires_at: datetime
    public_key: RequestOptionsOut


# ---- passkeys -------------------------------------------------------------------------------


class PasskeyOut(WireModel):
    id: str
    name: str
    credential_id: str
    transports: list[str]
    backed_up: bool
    created_at: datetime
    last_used_at: datetime | None


class PasskeysOut(WireModel):
    passkeys: list[PasskeyOut]
    limit: int
    offset: int
