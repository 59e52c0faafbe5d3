// Entity types, the identifiers each accepts, and the identifier sets of which a mapping must contain
// at least one (a strong identifier), as Microsoft's content CI enforces them.
// Facts from the Azure-Sentinel template validator (EntityMappingIdentifiers), restated here.

export interface EntitySpec {
  identifiers: readonly string[];
  /** Alternatives: at least one of these sets must be fully mapped. */
  requiredAnyOf: readonly (readonly string[])[];
}

export const ENTITY_TYPES: Readonly<Record<string, EntitySpec>> = {
  Account: {
    identifiers: ['Name', 'FullName', 'NTDomain', 'DnsDomain', 'UPNSuffix', 'Sid', 'AadTenantId', 'AadUserId', 'PUID', 'IsDomainJoined', 'DisplayName', 'ObjectGuid'],
    requiredAnyOf: [['FullName'], ['Sid'], ['Name'], ['AadUserId'], ['PUID'], ['ObjectGuid']],
  },
  AzureResource: {
    identifiers: ['ResourceId'],
    requiredAnyOf: [['ResourceId']],
  },
  CloudApplication: {
    identifiers: ['AppId', 'Name', 'InstanceName'],
    requiredAnyOf: [['AppId'], ['Name']],
  },
  DNS: {
    identifiers: ['DomainName'],
    requiredAnyOf: [['DomainName']],
  },
  File: {
    identifiers: ['Directory', 'Name'],
    requiredAnyOf: [['Name']],
  },
  FileHash: {
    identifiers: ['Algorithm', 'Value'],
    requiredAnyOf: [['Algorithm', 'Value']],
  },
  Host: {
    identifiers: ['DnsDomain', 'NTDomain', 'HostName', 'FullName', 'NetBiosName', 'AzureID', 'OMSAgentID', 'OSFamily', 'OSVersion', 'IsDomainJoined'],
    requiredAnyOf: [['FullName'], ['HostName'], ['NetBiosName'], ['AzureID'], ['OMSAgentID']],
  },
  IP: {
    identifiers: ['Address'],
    requiredAnyOf: [['Address']],
  },
  IoTDevice: {
    identifiers: ['DeviceId', 'DeviceName', 'Manufacturer', 'Model', 'FirmwareVersion', 'OperatingSystem', 'MacAddress', 'Protocols', 'SerialNumber', 'Source', 'IoTSecurityAgentId', 'DeviceType'],
    requiredAnyOf: [['DeviceId']],
  },
  MailCluster: {
    identifiers: ['NetworkMessageIds', 'CountByDeliveryStatus', 'CountByThreatType', 'CountByProtectionStatus', 'Threats', 'Query', 'QueryTime', 'MailCount', 'IsVolumeAnomaly', 'Source', 'ClusterSourceIdentifier', 'ClusterSourceType', 'ClusterQueryStartTime', 'ClusterQueryEndTime', 'ClusterGroup'],
    requiredAnyOf: [['Query'], ['Source']],
  },
  MailMessage: {
    identifiers: ['Recipient', 'Urls', 'Threats', 'Sender', 'P1Sender', 'P1SenderDisplayName', 'P1SenderDomain', 'SenderIP', 'P2Sender', 'P2SenderDisplayName', 'P2SenderDomain', 'ReceivedDate', 'NetworkMessageId', 'InternetMessageId', 'Subject', 'BodyFingerprintBin1', 'BodyFingerprintBin2', 'BodyFingerprintBin3', 'BodyFingerprintBin4', 'BodyFingerprintBin5', 'AntispamDirection', 'DeliveryAction', 'DeliveryLocation', 'Language', 'ThreatDetectionMethods'],
    requiredAnyOf: [['NetworkMessageId'], ['Recipient']],
  },
  Mailbox: {
    identifiers: ['MailboxPrimaryAddress', 'DisplayName', 'Upn', 'ExternalDirectoryObjectId', 'RiskLevel'],
    requiredAnyOf: [['MailboxPrimaryAddress']],
  },
  Malware: {
    identifiers: ['Name', 'Category'],
    requiredAnyOf: [['Name']],
  },
  Process: {
    identifiers: ['ProcessId', 'CommandLine', 'ElevationToken', 'CreationTimeUtc'],
    requiredAnyOf: [['CommandLine'], ['ProcessId']],
  },
  RegistryKey: {
    identifiers: ['Hive', 'Key'],
    requiredAnyOf: [['Key'], ['Hive']],
  },
  RegistryValue: {
    identifiers: ['Name', 'Value', 'ValueType'],
    requiredAnyOf: [['Name']],
  },
  SecurityGroup: {
    identifiers: ['DistinguishedName', 'SID', 'ObjectGuid'],
    requiredAnyOf: [['DistinguishedName'], ['SID'], ['ObjectGuid']],
  },
  SubmissionMail: {
    identifiers: ['NetworkMessageId', 'Timestamp', 'Recipient', 'Sender', 'SenderIp', 'Subject', 'ReportType', 'SubmissionId', 'SubmissionDate', 'Submitter'],
    requiredAnyOf: [['SubmissionId'], ['NetworkMessageId'], ['Recipient'], ['Submitter']],
  },
  URL: {
    identifiers: ['Url'],
    requiredAnyOf: [['Url']],
  },
};
