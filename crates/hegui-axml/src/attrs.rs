//! Framework attribute ids (`android.R.attr`).
//!
//! Android resolves manifest attributes by the resource id that the
//! `XML_RESOURCE_MAP` chunk assigns to each attribute name, not by the name
//! string; this table lets the reader do the same. Every id was checked against
//! the platform's public resource list and against `aapt dump xmltree` output.

/// The Android namespace URI.
pub const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

/// `(name, id)` pairs of framework attributes, sorted by id.
pub const FRAMEWORK_ATTRS: &[(&str, u32)] = &[
    ("theme", 0x0101_0000),
    ("label", 0x0101_0001),
    ("icon", 0x0101_0002),
    ("name", 0x0101_0003),
    ("manageSpaceActivity", 0x0101_0004),
    ("allowClearUserData", 0x0101_0005),
    ("permission", 0x0101_0006),
    ("readPermission", 0x0101_0007),
    ("writePermission", 0x0101_0008),
    ("protectionLevel", 0x0101_0009),
    ("permissionGroup", 0x0101_000a),
    ("sharedUserId", 0x0101_000b),
    ("hasCode", 0x0101_000c),
    ("persistent", 0x0101_000d),
    ("enabled", 0x0101_000e),
    ("debuggable", 0x0101_000f),
    ("exported", 0x0101_0010),
    ("process", 0x0101_0011),
    ("taskAffinity", 0x0101_0012),
    ("multiprocess", 0x0101_0013),
    ("finishOnTaskLaunch", 0x0101_0014),
    ("clearTaskOnLaunch", 0x0101_0015),
    ("stateNotNeeded", 0x0101_0016),
    ("excludeFromRecents", 0x0101_0017),
    ("authorities", 0x0101_0018),
    ("syncable", 0x0101_0019),
    ("initOrder", 0x0101_001a),
    ("grantUriPermissions", 0x0101_001b),
    ("priority", 0x0101_001c),
    ("launchMode", 0x0101_001d),
    ("screenOrientation", 0x0101_001e),
    ("configChanges", 0x0101_001f),
    ("description", 0x0101_0020),
    ("targetPackage", 0x0101_0021),
    ("handleProfiling", 0x0101_0022),
    ("functionalTest", 0x0101_0023),
    ("value", 0x0101_0024),
    ("resource", 0x0101_0025),
    ("mimeType", 0x0101_0026),
    ("scheme", 0x0101_0027),
    ("host", 0x0101_0028),
    ("port", 0x0101_0029),
    ("path", 0x0101_002a),
    ("pathPrefix", 0x0101_002b),
    ("pathPattern", 0x0101_002c),
    ("action", 0x0101_002d),
    ("data", 0x0101_002e),
    ("targetClass", 0x0101_002f),
    ("targetActivity", 0x0101_0202),
    ("minSdkVersion", 0x0101_020c),
    ("versionCode", 0x0101_021b),
    ("versionName", 0x0101_021c),
    ("windowSoftInputMode", 0x0101_022b),
    ("noHistory", 0x0101_022d),
    ("targetSdkVersion", 0x0101_0270),
    ("maxSdkVersion", 0x0101_0271),
    ("testOnly", 0x0101_0272),
    ("allowBackup", 0x0101_0280),
    ("required", 0x0101_028e),
    ("installLocation", 0x0101_02b7),
    ("logo", 0x0101_02be),
    ("hardwareAccelerated", 0x0101_02d3),
    ("stopWithTask", 0x0101_036a),
    ("isolatedProcess", 0x0101_03a9),
    ("supportsRtl", 0x0101_03af),
    ("extractNativeLibs", 0x0101_04ea),
    ("fullBackupContent", 0x0101_04eb),
    ("usesCleartextTraffic", 0x0101_04ec),
    ("directBootAware", 0x0101_0505),
    ("networkSecurityConfig", 0x0101_0527),
    ("roundIcon", 0x0101_052c),
    ("compileSdkVersion", 0x0101_0572),
    ("compileSdkVersionCodename", 0x0101_0573),
    ("appComponentFactory", 0x0101_057a),
    ("foregroundServiceType", 0x0101_0599),
    ("requestLegacyExternalStorage", 0x0101_0603),
    ("dataExtractionRules", 0x0101_063e),
    ("usesPermissionFlags", 0x0101_0644),
];

/// The framework id of the attribute named `name`, if it is in the table.
pub fn framework_attr_id(name: &str) -> Option<u32> {
    FRAMEWORK_ATTRS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, id)| *id)
}

/// The name of the framework attribute with id `id`, if it is in the table.
pub fn framework_attr_name(id: u32) -> Option<&'static str> {
    FRAMEWORK_ATTRS
        .iter()
        .find(|(_, known)| *known == id)
        .map(|(name, _)| *name)
}
