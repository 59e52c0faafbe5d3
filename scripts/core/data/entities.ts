// Entity types, the identifiers each accepts, and the identifier sets of which a mapping must contain
// at least one (a strong identifier).
// Identifiers: Microsoft Sentinel's documented set ("Microsoft Sentinel entity types reference",
// learn.microsoft.com/azure/sentinel/entities-reference, checked 2026-12 against its source
// MicrosoftDocs/azure-docs articles/sentinel/entities-reference.md): the "Identifiers" column of the
// entity table plus every scalar field of the type's schema (shipped content maps some of those, e.g.
// Account CloudAppAccountId), plus the few older names Microsoft's content CI still accepts
// (IoTDevice FirmwareVersion). Entity-valued fields (Host, ImageFile, …) cannot be mapped.
// Strong-identifier sets: as Microsoft's content CI (EntityMappingIdentifiers) enforces them.
// To update: compare both columns of that page's table and each schema section with the lists below.

export interface EntitySpec {
  identifiers: readonly string[];
  /** Alternatives: at least one of these sets must be fully mapped. */
  requiredAnyOf: readonly (readonly string[])[];
}

export const ENTITY_TYPES: Readonly<Record<string, EntitySpec>> = {
  Account: {
    identifiers: [
      'Name',
      'FullName',
      'NTDomain',
      'DnsDomain',
      'UPNSuffix',
      'Sid',
      'AadTenantId',
      'AadUserId',
      'PUID',
      'IsDomainJoined',
      'DisplayName',
      'ObjectGuid',
      'CloudAppAccountId',
      'IsAnonymized',
    ],
    requiredAnyOf: [['FullName'], ['Sid'], ['Name'], ['AadUserId'], ['PUID'], ['ObjectGuid']],
  },
  AzureResource: {
    identifiers: ['ResourceId', 'SubscriptionId', 'ResourceType', 'ResourceName'],
    requiredAnyOf: [['ResourceId']],
  },
  CloudApplication: {
    identifiers: ['AppId', 'SaasId', 'Name', 'InstanceName', 'InstanceId', 'Risk'],
    requiredAnyOf: [['AppId'], ['Name']],
  },
  DNS: {
    identifiers: ['DomainName'],
    requiredAnyOf: [['DomainName']],
  },
  File: {
    identifiers: ['Directory', 'Name', 'AlternateDataStreamName', 'SizeInBytes', 'WindowsSecurityZoneType'],
    requiredAnyOf: [['Name']],
  },
  FileHash: {
    identifiers: ['Algorithm', 'Value'],
    requiredAnyOf: [['Algorithm', 'Value']],
  },
  Host: {
    identifiers: [
      'DnsDomain',
      'NTDomain',
      'HostName',
      'FullName',
      'NetBiosName',
      'AzureID',
      'OMSAgentID',
      'OSFamily',
      'OSVersion',
      'IsDomainJoined',
    ],
    requiredAnyOf: [['FullName'], ['HostName'], ['NetBiosName'], ['AzureID'], ['OMSAgentID']],
  },
  IP: {
    identifiers: ['Address', 'AddressScope'],
    requiredAnyOf: [['Address']],
  },
  IoTDevice: {
    identifiers: [
      'DeviceId',
      'DeviceName',
      'Manufacturer',
      'Model',
      'FirmwareVersion',
      'OperatingSystem',
      'MacAddress',
      'Protocols',
      'SerialNumber',
      'Source',
      'IoTSecurityAgentId',
      'DeviceType',
      'DeviceTypeId',
      'DeviceSubType',
      'Owners',
      'Site',
      'Zone',
      'Sensor',
      'Importance',
      'PurdueLayer',
      'IsProgramming',
      'IsAuthorized',
      'IsScanner',
    ],
    requiredAnyOf: [['DeviceId']],
  },
  MailCluster: {
    identifiers: [
      'NetworkMessageIds',
      'CountByDeliveryStatus',
      'CountByThreatType',
      'CountByProtectionStatus',
      'Threats',
      'Query',
      'QueryTime',
      'MailCount',
      'IsVolumeAnomaly',
      'Source',
      'CountByDeliveryLocation',
      'ClusterSourceIdentifier',
      'ClusterSourceType',
      'ClusterQueryStartTime',
      'ClusterQueryEndTime',
      'ClusterGroup',
    ],
    requiredAnyOf: [['Query'], ['Source']],
  },
  MailMessage: {
    identifiers: [
      'Recipient',
      'Urls',
      'Threats',
      'Sender',
      'P1Sender',
      'P1SenderDisplayName',
      'P1SenderDomain',
      'SenderIP',
      'P2Sender',
      'P2SenderDisplayName',
      'P2SenderDomain',
      'ReceivedDate',
      'NetworkMessageId',
      'InternetMessageId',
      'Subject',
      'BodyFingerprintBin1',
      'BodyFingerprintBin2',
      'BodyFingerprintBin3',
      'BodyFingerprintBin4',
      'BodyFingerprintBin5',
      'AntispamDirection',
      'DeliveryAction',
      'DeliveryLocation',
      'Language',
      'ThreatDetectionMethods',
      'CampaignId',
      'SuspiciousRecipients',
      'ForwardedRecipients',
      'ForwardingType',
    ],
    requiredAnyOf: [['NetworkMessageId'], ['Recipient']],
  },
  Mailbox: {
    identifiers: ['MailboxPrimaryAddress', 'DisplayName', 'Upn', 'AadId', 'ExternalDirectoryObjectId', 'RiskLevel'],
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
    identifiers: [
      'NetworkMessageId',
      'Timestamp',
      'Recipient',
      'Sender',
      'SenderIp',
      'Subject',
      'ReportType',
      'SubmissionId',
      'SubmissionDate',
      'Submitter',
    ],
    requiredAnyOf: [['SubmissionId'], ['NetworkMessageId'], ['Recipient'], ['Submitter']],
  },
  URL: {
    identifiers: ['Url'],
    requiredAnyOf: [['Url']],
  },
};
