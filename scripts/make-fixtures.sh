#!/usr/bin/env bash
# make-fixtures.sh — regenerate the test APKs under fixtures/apk/.
#
# The generated APKs are committed, so running the test-suite never needs any
# of the tools below. Run this script only when a fixture has to change:
#
#     bash scripts/make-fixtures.sh
#
# Requirements (Debian 12 "bookworm"):
#   apt-get install -y apktool apksigner zipalign android-framework-res aapt
#   a JDK/JRE providing `java` and `keytool` (apktool pulls in a JRE), gcc,
#   unzip and readelf (binutils).
# When run as root the script apt-get installs any missing Debian package by
# itself; otherwise it stops and prints the command above.
#
# What it does for each fixture:
#   1. writes an apktool-decoded project (plain-XML AndroidManifest.xml,
#      apktool.yml, res/, smali/ [+ smali_classes2/], assets/, lib/) from the
#      heredocs below into a temporary directory,
#   2. `apktool b` (smali -> classes*.dex, aapt -> binary XML + resources.arsc)
#      against Debian's android-framework-res (API 29 framework-res.apk),
#      installed into a private frame-path inside the temp dir,
#   3. rewrites the zip with fixed timestamps and sorted entries (so a rebuild
#      produces identical bytes), `zipalign -f 4`, and
#   4. `apksigner sign` with the committed throwaway key in fixtures/keys/
#      (generated with keytool on first run if missing).
# Finally every APK is checked with `apksigner verify` and `aapt dump badging`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/fixtures/apk"
KEYDIR="$ROOT/fixtures/keys"
KEYSTORE="$KEYDIR/hegui-fixture.p12"
KEYALIAS="hegui-fixture"
KEYPASS="hegui-fixture"          # throwaway test key: NOT a secret
FRAMEWORK_APK="/usr/share/android-framework-res/framework-res.apk"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'make-fixtures: error: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------
ensure_tools() {
    local missing=()
    command -v apktool   >/dev/null || missing+=(apktool)
    command -v apksigner >/dev/null || missing+=(apksigner)
    command -v zipalign  >/dev/null || missing+=(zipalign)
    command -v aapt      >/dev/null || missing+=(aapt)
    [[ -f "$FRAMEWORK_APK" ]]       || missing+=(android-framework-res)
    command -v gcc       >/dev/null || missing+=(gcc)
    command -v unzip     >/dev/null || missing+=(unzip)
    command -v zip       >/dev/null || missing+=(zip)
    command -v readelf   >/dev/null || missing+=(binutils)
    if ((${#missing[@]})); then
        if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
            log "installing missing Debian packages: ${missing[*]}"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        else
            die "missing tools (${missing[*]}); run: sudo apt-get install -y apktool apksigner zipalign android-framework-res aapt gcc zip unzip binutils"
        fi
    fi
    command -v keytool >/dev/null || die "keytool (from a JDK/JRE) not found"
    command -v java    >/dev/null || die "java not found"
}

ensure_key() {
    if [[ -f "$KEYSTORE" ]]; then
        return
    fi
    log "generating throwaway signing key $KEYSTORE"
    mkdir -p "$KEYDIR"
    keytool -genkeypair -noprompt \
        -keystore "$KEYSTORE" -storetype PKCS12 \
        -storepass "$KEYPASS" -keypass "$KEYPASS" \
        -alias "$KEYALIAS" -keyalg RSA -keysize 2048 -sigalg SHA256withRSA \
        -dname "CN=hegui fixture" \
        -startdate "2024/01/01 00:00:00" -validity 10000 >/dev/null 2>&1
}

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
# emit FILE  -- write stdin to FILE (relative to $PROJ), creating parent dirs.
emit() {
    local f="$PROJ/$1"
    mkdir -p "$(dirname "$f")"
    cat >"$f"
}

# apktool_yml APKNAME MINSDK TARGETSDK VERSIONCODE VERSIONNAME
apktool_yml() {
    emit apktool.yml <<EOF
!!brut.androlib.meta.MetaInfo
apkFileName: $1
compressionType: false
doNotCompress:
- resources.arsc
isFrameworkApk: false
packageInfo:
  forcedPackageId: '127'
  renameManifestPackage: null
sdkInfo:
  minSdkVersion: '$2'
  targetSdkVersion: '$3'
sharedLibrary: false
sparseResources: false
unknownFiles: {}
usesFramework:
  ids:
  - 1
  tag: null
version: 2.7.0
versionInfo:
  versionCode: '$4'
  versionName: $5
EOF
}

# Rewrite an APK (zip) with sorted entries and a fixed timestamp so that a
# rebuild yields the same bytes. Compression of each entry is preserved.
normalize_zip() {
    local in="$1" out="$2" dir stored=() deflated=() name
    dir="$(mktemp -d "$WORK/norm.XXXX")"
    (cd "$dir" && unzip -qq "$in")
    # `unzip -Z -v` is verbose; `zipinfo -l` gives "stor"/"defN" per entry.
    while read -r method name; do
        case "$method" in
            stor) stored+=("$name") ;;
            *)    deflated+=("$name") ;;
        esac
    done < <(zipinfo -l "$in" | awk 'NF>=10 && $1 ~ /^-/ {print $7, $NF}')
    find "$dir" -exec touch -h -d '2024-01-01 00:00:00' {} +
    rm -f "$out"
    (
        cd "$dir"
        export TZ=UTC
        # AndroidManifest.xml first, then everything else in sorted order.
        local sorted_s sorted_d
        mapfile -t sorted_s < <(printf '%s\n' "${stored[@]+"${stored[@]}"}" | sed '/^$/d' | LC_ALL=C sort)
        mapfile -t sorted_d < <(printf '%s\n' "${deflated[@]+"${deflated[@]}"}" | sed '/^$/d' | LC_ALL=C sort)
        if ((${#sorted_d[@]})); then zip -q -X -9 -D "$out" "${sorted_d[@]}"; fi
        if ((${#sorted_s[@]})); then zip -q -X -0 -D "$out" "${sorted_s[@]}"; fi
    )
    rm -rf "$dir"
}

# build NAME  -- build $PROJ into $OUT/NAME.apk
build() {
    local name="$1" unsigned="$WORK/$1-unsigned.apk" norm="$WORK/$1-norm.apk" \
        aligned="$WORK/$1-aligned.apk" final="$OUT/$1.apk"
    log "apktool b $name"
    # Fix file mtimes inside the project so aapt/apktool see stable inputs.
    find "$PROJ" -exec touch -h -d '2024-01-01 00:00:00' {} +
    apktool -q b -f -p "$WORK/framework" -o "$unsigned" "$PROJ" \
        || die "apktool failed for $name"
    normalize_zip "$unsigned" "$norm"
    zipalign -f 4 "$norm" "$aligned"
    apksigner sign \
        --ks "$KEYSTORE" --ks-type PKCS12 --ks-key-alias "$KEYALIAS" \
        --ks-pass "pass:$KEYPASS" --key-pass "pass:$KEYPASS" \
        --out "$final" "$aligned"
    rm -f "$final.idsig"
    BUILT+=("$final")
}

# --------------------------------------------------------------------------
# Fixture 1: privacy-basic.apk
# --------------------------------------------------------------------------
make_privacy_basic() {
    PROJ="$WORK/privacy-basic"
    mkdir -p "$PROJ"
    apktool_yml privacy-basic.apk 21 30 7 1.2.3

    emit AndroidManifest.xml <<'EOF'
<?xml version="1.0" encoding="utf-8" standalone="no"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.hegui.fixture.basic">
    <permission android:name="com.hegui.fixture.basic.PUSH" android:protectionLevel="signature"/>
    <uses-permission android:name="android.permission.INTERNET"/>
    <uses-permission android:name="android.permission.READ_PHONE_STATE"/>
    <uses-permission android:name="android.permission.ACCESS_FINE_LOCATION"/>
    <uses-permission android:name="android.permission.ACCESS_COARSE_LOCATION"/>
    <uses-permission android:name="android.permission.CAMERA"/>
    <uses-permission android:name="android.permission.READ_CONTACTS"/>
    <uses-permission android:name="android.permission.RECEIVE_BOOT_COMPLETED"/>
    <uses-permission android:name="android.permission.QUERY_ALL_PACKAGES"/>
    <uses-permission android:name="android.permission.READ_CALENDAR"/>
    <uses-permission android:name="android.permission.WRITE_EXTERNAL_STORAGE" android:maxSdkVersion="28"/>
    <uses-permission-sdk-23 android:name="android.permission.READ_SMS"/>
    <queries>
        <intent>
            <action android:name="android.intent.action.MAIN"/>
        </intent>
        <package android:name="com.tencent.mm"/>
    </queries>
    <application android:name="com.hegui.fixture.basic.App" android:label="@string/app_name" android:allowBackup="true" android:usesCleartextTraffic="true" android:networkSecurityConfig="@xml/network_security_config">
        <meta-data android:name="UMENG_APPKEY" android:value="5f0000000000000000000000"/>
        <meta-data android:name="UMENG_CHANNEL" android:value="hegui"/>
        <activity android:name="com.hegui.fixture.basic.MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN"/>
                <category android:name="android.intent.category.LAUNCHER"/>
            </intent-filter>
        </activity>
        <activity-alias android:name="com.hegui.fixture.basic.LauncherAlias" android:targetActivity="com.hegui.fixture.basic.MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.VIEW"/>
                <category android:name="android.intent.category.DEFAULT"/>
            </intent-filter>
        </activity-alias>
        <receiver android:name="com.hegui.fixture.basic.BootReceiver" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.BOOT_COMPLETED"/>
                <action android:name="android.net.conn.CONNECTIVITY_CHANGE"/>
            </intent-filter>
            <intent-filter>
                <action android:name="android.intent.action.PACKAGE_ADDED"/>
                <data android:scheme="package"/>
            </intent-filter>
        </receiver>
        <service android:name="com.hegui.fixture.basic.KeepAliveService" android:exported="false"/>
        <provider android:name="com.hegui.fixture.basic.InitProvider" android:authorities="com.hegui.fixture.basic.init" android:exported="false"/>
        <!-- An SDK that starts itself through a content provider (runs before Application.onCreate). -->
        <provider android:name="com.google.firebase.provider.FirebaseInitProvider" android:authorities="com.hegui.fixture.basic.firebaseinitprovider" android:exported="false"/>
        <meta-data android:name="JPUSH_APPKEY" android:value="0123456789abcdef01234567"/>
    </application>
</manifest>
EOF

    emit res/values/strings.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">合规样例</string>
    <!-- Notice 164 task 8: a reward offered for a face scan (AND016). -->
    <string name="face_bonus">刷脸认证领 88 元红包</string>
    <!-- Not reported: a plain identity check, and prose longer than a label. -->
    <string name="verify_identity">实名认证</string>
    <string name="withdraw_note">根据反洗钱相关法律法规的要求，您在申请提现之前需要完成实名认证，我们会核验您的姓名和身份证号码，如您拒绝提供将无法完成提现，但不影响其他功能的使用。</string>
</resources>
EOF
    emit res/values-en/strings.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Hegui Sample</string>
    <string name="face_bonus">Face verification gets you a ¥88 bonus</string>
    <string name="verify_identity">Verify your identity</string>
</resources>
EOF
    emit res/xml/network_security_config.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<network-security-config>
    <base-config cleartextTrafficPermitted="true">
        <trust-anchors>
            <certificates src="system"/>
        </trust-anchors>
    </base-config>
    <domain-config>
        <domain includeSubdomains="true">example.com</domain>
        <trust-anchors>
            <certificates src="system"/>
            <certificates src="user"/>
        </trust-anchors>
    </domain-config>
</network-security-config>
EOF

    # ---- classes.dex ------------------------------------------------------
    emit smali/com/hegui/fixture/basic/App.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/App;
.super Landroid/app/Application;
.source "App.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Application;-><init>()V

    return-void
.end method


# virtual methods
.method public onCreate()V
    .registers 1

    invoke-super {p0}, Landroid/app/Application;->onCreate()V

    # Collects ANDROID_ID at application start, i.e. before any consent UI.
    invoke-static {p0}, Lcom/hegui/fixture/basic/DeviceInfo;->androidId(Landroid/content/Context;)Ljava/lang/String;

    # Initialises the SDKs through the app's own helper, still before any consent UI.
    invoke-static {p0}, Lcom/hegui/fixture/basic/SdkInit;->initAll(Landroid/content/Context;)V

    return-void
.end method

.method protected attachBaseContext(Landroid/content/Context;)V
    .registers 2

    invoke-super {p0, p1}, Landroid/app/Application;->attachBaseContext(Landroid/content/Context;)V

    invoke-static {p1}, Lcn/jpush/android/api/JPushInterface;->init(Landroid/content/Context;)V

    return-void
.end method
EOF

    emit smali/com/hegui/fixture/basic/SdkInit.smali <<'EOF'
.class public final Lcom/hegui/fixture/basic/SdkInit;
.super Ljava/lang/Object;
.source "SdkInit.java"


# direct methods
.method public static initAll(Landroid/content/Context;)V
    .registers 7

    const-string v1, "5f0000000000000000000000"

    const-string v2, "hegui"

    const/4 v3, 0x1

    const/4 v4, 0x0

    invoke-static {p0, v1, v2, v3, v4}, Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V

    invoke-static {}, Lcom/igexin/sdk/PushManager;->getInstance()Lcom/igexin/sdk/PushManager;

    move-result-object v0

    invoke-virtual {v0, p0}, Lcom/igexin/sdk/PushManager;->initialize(Landroid/content/Context;)V

    return-void
.end method
EOF

    emit smali/com/hegui/fixture/basic/MainActivity.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 2

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    return-void
.end method
EOF

    emit smali/com/hegui/fixture/basic/BootReceiver.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/BootReceiver;
.super Landroid/content/BroadcastReceiver;
.source "BootReceiver.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/content/BroadcastReceiver;-><init>()V

    return-void
.end method


# virtual methods
.method public onReceive(Landroid/content/Context;Landroid/content/Intent;)V
    .registers 5

    new-instance v0, Landroid/content/Intent;

    const-class v1, Lcom/hegui/fixture/basic/KeepAliveService;

    invoke-direct {v0, p1, v1}, Landroid/content/Intent;-><init>(Landroid/content/Context;Ljava/lang/Class;)V

    invoke-virtual {p1, v0}, Landroid/content/Context;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;

    return-void
.end method
EOF

    emit smali/com/hegui/fixture/basic/KeepAliveService.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/KeepAliveService;
.super Landroid/app/Service;
.source "KeepAliveService.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Service;-><init>()V

    return-void
.end method


# virtual methods
.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3

    const/4 v0, 0x0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/InitProvider.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/InitProvider;
.super Landroid/content/ContentProvider;
.source "InitProvider.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/content/ContentProvider;-><init>()V

    return-void
.end method


# virtual methods
.method public onCreate()Z
    .registers 2

    const/4 v0, 0x1

    return v0
.end method

.method public query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;
    .registers 7

    const/4 v0, 0x0

    return-object v0
.end method

.method public getType(Landroid/net/Uri;)Ljava/lang/String;
    .registers 3

    const/4 v0, 0x0

    return-object v0
.end method

.method public insert(Landroid/net/Uri;Landroid/content/ContentValues;)Landroid/net/Uri;
    .registers 4

    const/4 v0, 0x0

    return-object v0
.end method

.method public delete(Landroid/net/Uri;Ljava/lang/String;[Ljava/lang/String;)I
    .registers 5

    const/4 v0, 0x0

    return v0
.end method

.method public update(Landroid/net/Uri;Landroid/content/ContentValues;Ljava/lang/String;[Ljava/lang/String;)I
    .registers 6

    const/4 v0, 0x0

    return v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/DeviceInfo.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/DeviceInfo;
.super Ljava/lang/Object;
.source "DeviceInfo.java"


# instance fields
.field private final tm:Landroid/telephony/TelephonyManager;


# direct methods
.method public constructor <init>(Landroid/telephony/TelephonyManager;)V
    .registers 2

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    iput-object p1, p0, Lcom/hegui/fixture/basic/DeviceInfo;->tm:Landroid/telephony/TelephonyManager;

    return-void
.end method

.method public static androidId(Landroid/content/Context;)Ljava/lang/String;
    .registers 3

    invoke-virtual {p0}, Landroid/content/Context;->getContentResolver()Landroid/content/ContentResolver;

    move-result-object v0

    const-string v1, "android_id"

    invoke-static {v0, v1}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;

    move-result-object v0

    return-object v0
.end method

.method public static serial()Ljava/lang/String;
    .registers 1

    sget-object v0, Landroid/os/Build;->SERIAL:Ljava/lang/String;

    return-object v0
.end method


# virtual methods
.method public collectImei()Ljava/lang/String;
    .registers 5

    iget-object v0, p0, Lcom/hegui/fixture/basic/DeviceInfo;->tm:Landroid/telephony/TelephonyManager;

    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;

    move-result-object v1

    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;

    move-result-object v2

    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getLine1Number()Ljava/lang/String;

    move-result-object v3

    return-object v1
.end method
EOF

    emit smali/com/hegui/fixture/basic/LocationHelper.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/LocationHelper;
.super Ljava/lang/Object;
.source "LocationHelper.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static lastLocation(Landroid/location/LocationManager;)Landroid/location/Location;
    .registers 2

    const-string v0, "gps"

    invoke-virtual {p0, v0}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/AppList.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/AppList;
.super Ljava/lang/Object;
.source "AppList.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static scan(Landroid/content/pm/PackageManager;)Ljava/util/List;
    .registers 4

    const/4 v0, 0x0

    invoke-virtual {p0, v0}, Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;

    move-result-object v1

    invoke-virtual {p0, v0}, Landroid/content/pm/PackageManager;->getInstalledApplications(I)Ljava/util/List;

    move-result-object v2

    return-object v1
.end method
EOF

    emit smali/com/hegui/fixture/basic/Clip.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/Clip;
.super Ljava/lang/Object;
.source "Clip.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static read(Landroid/content/ClipboardManager;)Landroid/content/ClipData;
    .registers 2

    invoke-virtual {p0}, Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/Contacts.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/Contacts;
.super Ljava/lang/Object;
.source "Contacts.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static query(Landroid/content/ContentResolver;)Landroid/database/Cursor;
    .registers 7

    move-object v0, p0

    sget-object v1, Landroid/provider/ContactsContract$Contacts;->CONTENT_URI:Landroid/net/Uri;

    const/4 v2, 0x0

    const/4 v3, 0x0

    const/4 v4, 0x0

    const/4 v5, 0x0

    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/Launcher.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/Launcher;
.super Ljava/lang/Object;
.source "Launcher.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static wakeWeChat(Landroid/content/Context;)V
    .registers 3

    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;

    move-result-object v0

    const-string v1, "com.tencent.mm"

    invoke-virtual {v0, v1}, Landroid/content/pm/PackageManager;->getLaunchIntentForPackage(Ljava/lang/String;)Landroid/content/Intent;

    move-result-object v0

    invoke-virtual {p0, v0}, Landroid/content/Context;->startActivity(Landroid/content/Intent;)V

    return-void
.end method

.method public static explicitStart(Landroid/content/Context;)V
    .registers 4

    new-instance v0, Landroid/content/Intent;

    invoke-direct {v0}, Landroid/content/Intent;-><init>()V

    const-string v1, "com.eg.android.AlipayGphone"

    const-string v2, "com.eg.android.AlipayGphone.AlipayLogin"

    invoke-virtual {v0, v1, v2}, Landroid/content/Intent;->setClassName(Ljava/lang/String;Ljava/lang/String;)Landroid/content/Intent;

    invoke-virtual {p0, v0}, Landroid/content/Context;->startService(Landroid/content/Intent;)Landroid/content/ComponentName;

    return-void
.end method
EOF

    emit smali/com/hegui/fixture/basic/Api.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/Api;
.super Ljava/lang/Object;
.source "Api.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static endpoint()Ljava/lang/String;
    .registers 1

    const-string v0, "http://api.hegui-fixture.example/collect"

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/net/TrustAll.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/net/TrustAll;
.super Ljava/lang/Object;
.source "TrustAll.java"

# interfaces
.implements Ljavax/net/ssl/X509TrustManager;


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method


# virtual methods
.method public checkClientTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
    .registers 3

    return-void
.end method

.method public checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
    .registers 3

    return-void
.end method

.method public getAcceptedIssuers()[Ljava/security/cert/X509Certificate;
    .registers 2

    const/4 v0, 0x0

    new-array v0, v0, [Ljava/security/cert/X509Certificate;

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/net/AllowAllVerifier.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/net/AllowAllVerifier;
.super Ljava/lang/Object;
.source "AllowAllVerifier.java"

# interfaces
.implements Ljavax/net/ssl/HostnameVerifier;


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method


# virtual methods
.method public verify(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
    .registers 4

    const/4 v0, 0x1

    return v0
.end method
EOF

    emit smali/com/hegui/fixture/basic/web/LaxClient.smali <<'EOF'
.class public Lcom/hegui/fixture/basic/web/LaxClient;
.super Landroid/webkit/WebViewClient;
.source "LaxClient.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/webkit/WebViewClient;-><init>()V

    return-void
.end method


# virtual methods
.method public onReceivedSslError(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V
    .registers 4

    invoke-virtual {p2}, Landroid/webkit/SslErrorHandler;->proceed()V

    return-void
.end method
EOF

    # ---- classes2.dex (third-party SDK) -----------------------------------
    emit smali_classes2/com/umeng/analytics/pro/UMDevice.smali <<'EOF'
.class public Lcom/umeng/analytics/pro/UMDevice;
.super Ljava/lang/Object;
.source "UMDevice.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static mac(Landroid/net/wifi/WifiInfo;)Ljava/lang/String;
    .registers 2

    invoke-virtual {p0}, Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;

    move-result-object v0

    return-object v0
.end method

.method public static imei(Landroid/telephony/TelephonyManager;)Ljava/lang/String;
    .registers 2

    invoke-virtual {p0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali_classes2/com/umeng/commonsdk/UMConfigure.smali <<'EOF'
.class public Lcom/umeng/commonsdk/UMConfigure;
.super Ljava/lang/Object;
.source "UMConfigure.java"


# static fields
.field public static final SDK_VERSION:Ljava/lang/String; = "9.6.3"

.field public static final BUILD_NUMBER:I = 0x2a


# direct methods
.method public static init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V
    .registers 5

    return-void
.end method
EOF

    emit smali_classes2/com/igexin/sdk/PushManager.smali <<'EOF'
.class public Lcom/igexin/sdk/PushManager;
.super Ljava/lang/Object;
.source "PushManager.java"


# direct methods
.method public static getInstance()Lcom/igexin/sdk/PushManager;
    .registers 1

    new-instance v0, Lcom/igexin/sdk/PushManager;

    invoke-direct {v0}, Ljava/lang/Object;-><init>()V

    return-object v0
.end method


# virtual methods
.method public initialize(Landroid/content/Context;)V
    .registers 2

    return-void
.end method
EOF

    emit smali_classes2/cn/jpush/android/api/JPushInterface.smali <<'EOF'
.class public Lcn/jpush/android/api/JPushInterface;
.super Ljava/lang/Object;
.source "JPushInterface.java"


# direct methods
.method public static init(Landroid/content/Context;)V
    .registers 1

    return-void
.end method
EOF

    build privacy-basic
}

# --------------------------------------------------------------------------
# Fixture 2: clean.apk
# --------------------------------------------------------------------------
make_clean() {
    PROJ="$WORK/clean"
    mkdir -p "$PROJ"
    apktool_yml clean.apk 24 33 1 1.0.0

    emit AndroidManifest.xml <<'EOF'
<?xml version="1.0" encoding="utf-8" standalone="no"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.hegui.fixture.clean">
    <uses-permission android:name="android.permission.INTERNET"/>
    <application android:label="@string/app_name" android:allowBackup="false" android:usesCleartextTraffic="false">
        <activity android:name="com.hegui.fixture.clean.MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN"/>
                <category android:name="android.intent.category.LAUNCHER"/>
            </intent-filter>
        </activity>
    </application>
</manifest>
EOF

    emit res/values/strings.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Clean</string>
</resources>
EOF

    emit assets/privacy.html <<'EOF'
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>隐私政策</title>
</head>
<body>
<h1>隐私政策</h1>
<p>更新日期：2024年1月1日。本隐私政策说明 Clean（以下简称“我们”）如何收集、使用和保护您的个人信息。</p>
<h2>一、我们收集的个人信息</h2>
<p>我们仅在您主动使用联网功能时访问网络，不收集设备标识符、位置信息、通讯录或已安装应用列表。</p>
<h2>二、我们如何使用个人信息</h2>
<p>我们不会向任何第三方出售、共享或转让您的个人信息。</p>
<h2>三、如何联系我们</h2>
<p>如您对本隐私政策有任何疑问，请发送邮件至 privacy@hegui-fixture.example 与我们联系，我们将在十五个工作日内答复。</p>
</body>
</html>
EOF

    emit smali/com/hegui/fixture/clean/MainActivity.smali <<'EOF'
.class public Lcom/hegui/fixture/clean/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method


# virtual methods
.method protected onCreate(Landroid/os/Bundle;)V
    .registers 4

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    new-instance v0, Landroid/webkit/WebView;

    invoke-direct {v0, p0}, Landroid/webkit/WebView;-><init>(Landroid/content/Context;)V

    const-string v1, "https://hegui-fixture.example/privacy-policy.html"

    invoke-virtual {v0, v1}, Landroid/webkit/WebView;->loadUrl(Ljava/lang/String;)V

    invoke-virtual {p0, v0}, Lcom/hegui/fixture/clean/MainActivity;->setContentView(Landroid/view/View;)V

    return-void
.end method
EOF

    build clean
}

# --------------------------------------------------------------------------
# Fixture 3: packed.apk
# --------------------------------------------------------------------------
make_packed() {
    PROJ="$WORK/packed"
    mkdir -p "$PROJ"
    apktool_yml packed.apk 21 29 1 1.0

    emit AndroidManifest.xml <<'EOF'
<?xml version="1.0" encoding="utf-8" standalone="no"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.hegui.fixture.packed">
    <uses-permission android:name="android.permission.INTERNET"/>
    <application android:name="com.stub.StubApp" android:label="@string/app_name" android:allowBackup="true" android:extractNativeLibs="true">
        <activity android:name="com.hegui.fixture.packed.MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN"/>
                <category android:name="android.intent.category.LAUNCHER"/>
            </intent-filter>
        </activity>
    </application>
</manifest>
EOF

    emit res/values/strings.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Packed</string>
</resources>
EOF

    # Fake stub libraries: named like 360 jiagu's, contents are NOT ELF.
    printf 'hegui fixture: fake 360 jiagu stub library (arm), not a real ELF\n' | emit assets/libjiagu.so
    printf 'hegui fixture: fake 360 jiagu stub library (x86), not a real ELF\n' | emit assets/libjiagu_x86.so

    emit smali/com/stub/StubApp.smali <<'EOF'
.class public final Lcom/stub/StubApp;
.super Landroid/app/Application;
.source "StubApp.java"


# direct methods
.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Application;-><init>()V

    return-void
.end method


# virtual methods
.method protected attachBaseContext(Landroid/content/Context;)V
    .registers 3

    invoke-super {p0, p1}, Landroid/app/Application;->attachBaseContext(Landroid/content/Context;)V

    const-string v0, "jiagu"

    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V

    return-void
.end method

.method public onCreate()V
    .registers 1

    invoke-super {p0}, Landroid/app/Application;->onCreate()V

    return-void
.end method
EOF

    emit smali/com/hegui/Native.smali <<'EOF'
.class public final Lcom/hegui/Native;
.super Ljava/lang/Object;
.source "Native.java"


# direct methods
.method static constructor <clinit>()V
    .registers 1

    const-string v0, "hegui"

    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V

    return-void
.end method

.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Ljava/lang/Object;-><init>()V

    return-void
.end method

.method public static native hello()Ljava/lang/String;
.end method
EOF

    build_native_lib
    build packed
}

# A tiny, real ELF64 shared object for the HOST architecture (x86-64 on the
# machines this project uses; no Android cross toolchain is needed). It is
# linked with -nostdlib against a stub "libc.so" (soname libc.so, like
# Android's bionic) so that the result has DT_NEEDED libc.so and an undefined
# dynamic symbol getifaddrs, and exports Java_com_hegui_Native_hello.
build_native_lib() {
    local src="$WORK/native" abi
    case "$(uname -m)" in
        x86_64)  abi=x86_64 ;;
        aarch64) abi=arm64-v8a ;;
        i?86)    abi=x86 ;;
        armv7*)  abi=armeabi-v7a ;;
        *) die "unsupported host arch $(uname -m) for the native fixture" ;;
    esac
    mkdir -p "$src" "$PROJ/lib/$abi"
    cat >"$src/libc_stub.c" <<'EOF'
struct ifaddrs;
__attribute__((visibility("default")))
int getifaddrs(struct ifaddrs **ifap) { (void)ifap; return -1; }
EOF
    cat >"$src/hegui.c" <<'EOF'
struct ifaddrs;
extern int getifaddrs(struct ifaddrs **ifap);

/* JNI: com.hegui.Native.hello() -- enumerates network interfaces (MAC/IP). */
__attribute__((visibility("default")))
void *Java_com_hegui_Native_hello(void *env, void *clazz)
{
    struct ifaddrs *ifa = 0;
    (void)env; (void)clazz;
    getifaddrs(&ifa);
    return (void *)ifa;
}
EOF
    # shellcheck disable=SC2054  # commas belong to -Wl, options
    local common=(-shared -fPIC -nostdlib -Os -fno-asynchronous-unwind-tables
        -fno-stack-protector -fvisibility=hidden -Wl,--hash-style=both
        -Wl,--build-id=none -Wl,-z,norelro -Wl,-z,noseparate-code -Wl,--strip-all)
    gcc "${common[@]}" -Wl,-soname,libc.so -o "$src/libc.so" "$src/libc_stub.c"
    gcc "${common[@]}" -Wl,-soname,libhegui.so -o "$PROJ/lib/$abi/libhegui.so" \
        "$src/hegui.c" -L"$src" -Wl,--no-as-needed -l:libc.so
    NATIVE_ABI="$abi"
}

# --------------------------------------------------------------------------
# Fixture 4: indirect.apk -- the indirect roads to PI (issue 19), each with a
# known answer and a negative twin: reflection with constant names (and with
# a parameter name), shell commands (and `ls`), an identifier file, content
# provider calls on PI URIs (a parsed string, a provider field handed to a
# CursorLoader, an app field set in <clinit>, a write) and on other URIs (a
# fonts provider, a URI from a parameter), a launcher-intent query (and a
# browser query), a DexClassLoader, MediaRecorder/Camera, and a native
# library whose strings read identifiers.
# --------------------------------------------------------------------------
make_indirect() {
    PROJ="$WORK/indirect"
    mkdir -p "$PROJ"
    apktool_yml indirect.apk 24 33 1 1.0.0

    emit AndroidManifest.xml <<'EOF'
<?xml version="1.0" encoding="utf-8" standalone="no"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.hegui.fixture.indirect">
    <uses-permission android:name="android.permission.READ_CONTACTS"/>
    <uses-permission android:name="android.permission.WRITE_CONTACTS"/>
    <uses-permission android:name="android.permission.READ_SMS"/>
    <uses-permission android:name="android.permission.READ_CALL_LOG"/>
    <uses-permission android:name="android.permission.RECORD_AUDIO"/>
    <uses-permission android:name="android.permission.CAMERA"/>
    <application android:label="@string/app_name" android:allowBackup="false">
        <activity android:name="com.hegui.fixture.indirect.MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN"/>
                <category android:name="android.intent.category.LAUNCHER"/>
            </intent-filter>
        </activity>
    </application>
</manifest>
EOF

    emit res/values/strings.xml <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Indirect</string>
</resources>
EOF

    # Every road is called from the launcher activity, so every site is reachable.
    emit smali/com/hegui/fixture/indirect/MainActivity.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"


.method public constructor <init>()V
    .registers 1

    invoke-direct {p0}, Landroid/app/Activity;-><init>()V

    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 5

    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V

    const/4 v0, 0x0

    invoke-static {v0}, Lcom/hegui/fixture/indirect/Reflect;->imei(Ljava/lang/Object;)Ljava/lang/Object;

    invoke-static {v0, v0}, Lcom/hegui/fixture/indirect/Reflect;->named(Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/reflect/Method;

    invoke-static {}, Lcom/hegui/fixture/indirect/Shell;->serial()Ljava/lang/Process;

    invoke-static {}, Lcom/hegui/fixture/indirect/Shell;->apps()Ljava/lang/Process;

    invoke-static {}, Lcom/hegui/fixture/indirect/Shell;->list()Ljava/lang/Process;

    invoke-static {}, Lcom/hegui/fixture/indirect/Files;->mac()Ljava/io/Reader;

    invoke-virtual {p0}, Lcom/hegui/fixture/indirect/MainActivity;->getContentResolver()Landroid/content/ContentResolver;

    move-result-object v1

    invoke-static {v1}, Lcom/hegui/fixture/indirect/Providers;->sms(Landroid/content/ContentResolver;)Landroid/database/Cursor;

    invoke-static {v1}, Lcom/hegui/fixture/indirect/Providers;->calls(Landroid/content/ContentResolver;)Landroid/database/Cursor;

    invoke-static {p0}, Lcom/hegui/fixture/indirect/Providers;->contacts(Landroid/content/Context;)Ljava/lang/Object;

    invoke-static {v1}, Lcom/hegui/fixture/indirect/Providers;->addContact(Landroid/content/ContentResolver;)Landroid/net/Uri;

    invoke-static {v1}, Lcom/hegui/fixture/indirect/Providers;->fonts(Landroid/content/ContentResolver;)Landroid/database/Cursor;

    invoke-static {v1, v0}, Lcom/hegui/fixture/indirect/Providers;->picked(Landroid/content/ContentResolver;Landroid/net/Uri;)Landroid/database/Cursor;

    invoke-virtual {p0}, Lcom/hegui/fixture/indirect/MainActivity;->getPackageManager()Landroid/content/pm/PackageManager;

    move-result-object v2

    invoke-static {v2}, Lcom/hegui/fixture/indirect/Apps;->launcher(Landroid/content/pm/PackageManager;)Ljava/util/List;

    invoke-static {v2}, Lcom/hegui/fixture/indirect/Apps;->browsers(Landroid/content/pm/PackageManager;)Ljava/util/List;

    invoke-static {v0}, Lcom/hegui/fixture/indirect/Loader;->load(Ljava/lang/ClassLoader;)Ljava/lang/ClassLoader;

    invoke-static {}, Lcom/hegui/fixture/indirect/Recorder;->mic()Landroid/media/MediaRecorder;

    invoke-static {}, Lcom/hegui/fixture/indirect/Recorder;->camera()Landroid/hardware/Camera;

    invoke-static {}, Lcom/hegui/fixture/indirect/Native;->collect()I

    return-void
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Reflect.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Reflect;
.super Ljava/lang/Object;
.source "Reflect.java"


# Class.forName("android.telephony.TelephonyManager").getMethod("getDeviceId").invoke(tm)
.method public static imei(Ljava/lang/Object;)Ljava/lang/Object;
    .registers 5

    const-string v0, "android.telephony.TelephonyManager"

    invoke-static {v0}, Ljava/lang/Class;->forName(Ljava/lang/String;)Ljava/lang/Class;

    move-result-object v0

    const-string v1, "getDeviceId"

    const/4 v2, 0x0

    new-array v2, v2, [Ljava/lang/Class;

    invoke-virtual {v0, v1, v2}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;

    move-result-object v0

    const/4 v1, 0x0

    new-array v1, v1, [Ljava/lang/Object;

    invoke-virtual {v0, p0, v1}, Ljava/lang/reflect/Method;->invoke(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;

    move-result-object v0

    return-object v0
.end method

# A method named by the caller: nothing says what it reads (not reported).
.method public static named(Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/reflect/Method;
    .registers 4

    const/4 v0, 0x0

    new-array v0, v0, [Ljava/lang/Class;

    invoke-virtual {p0, p1, v0}, Ljava/lang/Class;->getMethod(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Shell.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Shell;
.super Ljava/lang/Object;
.source "Shell.java"


.method public static serial()Ljava/lang/Process;
    .registers 2

    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;

    move-result-object v0

    const-string v1, "getprop ro.serialno"

    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;

    move-result-object v0

    return-object v0
.end method

.method public static apps()Ljava/lang/Process;
    .registers 2

    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;

    move-result-object v0

    const-string v1, "pm list packages -3"

    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;

    move-result-object v0

    return-object v0
.end method

# Lists a directory: reads no PI (dismissed).
.method public static list()Ljava/lang/Process;
    .registers 2

    invoke-static {}, Ljava/lang/Runtime;->getRuntime()Ljava/lang/Runtime;

    move-result-object v0

    const-string v1, "ls /sdcard"

    invoke-virtual {v0, v1}, Ljava/lang/Runtime;->exec(Ljava/lang/String;)Ljava/lang/Process;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Files.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Files;
.super Ljava/lang/Object;
.source "Files.java"


.method public static mac()Ljava/io/Reader;
    .registers 3

    new-instance v0, Ljava/io/FileReader;

    const-string v1, "/sys/class/net/wlan0/address"

    invoke-direct {v0, v1}, Ljava/io/FileReader;-><init>(Ljava/lang/String;)V

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Providers.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Providers;
.super Ljava/lang/Object;
.source "Providers.java"


# static fields
.field static final CALLS:Landroid/net/Uri;


.method static constructor <clinit>()V
    .registers 1

    sget-object v0, Landroid/provider/CallLog$Calls;->CONTENT_URI:Landroid/net/Uri;

    sput-object v0, Lcom/hegui/fixture/indirect/Providers;->CALLS:Landroid/net/Uri;

    return-void
.end method

# query(Uri.parse("content://sms/inbox"), ...)
.method public static sms(Landroid/content/ContentResolver;)Landroid/database/Cursor;
    .registers 7

    const-string v0, "content://sms/inbox"

    invoke-static {v0}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;

    move-result-object v1

    move-object v0, p0

    const/4 v2, 0x0

    const/4 v3, 0x0

    const/4 v4, 0x0

    const/4 v5, 0x0

    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;

    move-result-object v0

    return-object v0
.end method

# query(CALLS, ...): the URI an app field got in <clinit>.
.method public static calls(Landroid/content/ContentResolver;)Landroid/database/Cursor;
    .registers 7

    move-object v0, p0

    sget-object v1, Lcom/hegui/fixture/indirect/Providers;->CALLS:Landroid/net/Uri;

    const/4 v2, 0x0

    const/4 v3, 0x0

    const/4 v4, 0x0

    const/4 v5, 0x0

    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;

    move-result-object v0

    return-object v0
.end method

# new CursorLoader(context, Phone.CONTENT_URI, ...)
.method public static contacts(Landroid/content/Context;)Ljava/lang/Object;
    .registers 8

    new-instance v0, Landroid/content/CursorLoader;

    move-object v1, p0

    sget-object v2, Landroid/provider/ContactsContract$CommonDataKinds$Phone;->CONTENT_URI:Landroid/net/Uri;

    const/4 v3, 0x0

    const/4 v4, 0x0

    const/4 v5, 0x0

    const/4 v6, 0x0

    invoke-direct/range {v0 .. v6}, Landroid/content/CursorLoader;-><init>(Landroid/content/Context;Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)V

    return-object v0
.end method

# insert(RawContacts.CONTENT_URI, values): a write, not a read.
.method public static addContact(Landroid/content/ContentResolver;)Landroid/net/Uri;
    .registers 4

    sget-object v0, Landroid/provider/ContactsContract$RawContacts;->CONTENT_URI:Landroid/net/Uri;

    const/4 v1, 0x0

    invoke-virtual {p0, v0, v1}, Landroid/content/ContentResolver;->insert(Landroid/net/Uri;Landroid/content/ContentValues;)Landroid/net/Uri;

    move-result-object v0

    return-object v0
.end method

# A fonts provider: not PI (dismissed, uri_not_pi).
.method public static fonts(Landroid/content/ContentResolver;)Landroid/database/Cursor;
    .registers 7

    const-string v0, "content://com.example.fonts/list"

    invoke-static {v0}, Landroid/net/Uri;->parse(Ljava/lang/String;)Landroid/net/Uri;

    move-result-object v1

    move-object v0, p0

    const/4 v2, 0x0

    const/4 v3, 0x0

    const/4 v4, 0x0

    const/4 v5, 0x0

    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;

    move-result-object v0

    return-object v0
.end method

# A URI from the caller (a picker's result): unknown (dismissed, uri_unknown).
.method public static picked(Landroid/content/ContentResolver;Landroid/net/Uri;)Landroid/database/Cursor;
    .registers 8

    move-object v0, p0

    move-object v1, p1

    const/4 v2, 0x0

    const/4 v3, 0x0

    const/4 v4, 0x0

    const/4 v5, 0x0

    invoke-virtual/range {v0 .. v5}, Landroid/content/ContentResolver;->query(Landroid/net/Uri;[Ljava/lang/String;Ljava/lang/String;[Ljava/lang/String;Ljava/lang/String;)Landroid/database/Cursor;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Apps.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Apps;
.super Ljava/lang/Object;
.source "Apps.java"


# Every app with a launcher icon.
.method public static launcher(Landroid/content/pm/PackageManager;)Ljava/util/List;
    .registers 5

    new-instance v0, Landroid/content/Intent;

    const-string v1, "android.intent.action.MAIN"

    invoke-direct {v0, v1}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V

    const-string v1, "android.intent.category.LAUNCHER"

    invoke-virtual {v0, v1}, Landroid/content/Intent;->addCategory(Ljava/lang/String;)Landroid/content/Intent;

    const/4 v1, 0x0

    invoke-virtual {p0, v0, v1}, Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;

    move-result-object v0

    return-object v0
.end method

# The apps that open a web page: one question about one intent (dismissed).
.method public static browsers(Landroid/content/pm/PackageManager;)Ljava/util/List;
    .registers 5

    new-instance v0, Landroid/content/Intent;

    const-string v1, "android.intent.action.VIEW"

    invoke-direct {v0, v1}, Landroid/content/Intent;-><init>(Ljava/lang/String;)V

    const/4 v1, 0x0

    invoke-virtual {p0, v0, v1}, Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Loader.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Loader;
.super Ljava/lang/Object;
.source "Loader.java"


.method public static load(Ljava/lang/ClassLoader;)Ljava/lang/ClassLoader;
    .registers 6

    new-instance v0, Ldalvik/system/DexClassLoader;

    const-string v1, "/data/data/com.hegui.fixture.indirect/files/plugin.dex"

    const-string v2, "/data/data/com.hegui.fixture.indirect/code_cache"

    const/4 v3, 0x0

    move-object v4, p0

    invoke-direct {v0, v1, v2, v3, v4}, Ldalvik/system/DexClassLoader;-><init>(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Ljava/lang/ClassLoader;)V

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Recorder.smali <<'EOF'
.class public Lcom/hegui/fixture/indirect/Recorder;
.super Ljava/lang/Object;
.source "Recorder.java"


.method public static mic()Landroid/media/MediaRecorder;
    .registers 2

    new-instance v0, Landroid/media/MediaRecorder;

    invoke-direct {v0}, Landroid/media/MediaRecorder;-><init>()V

    const/4 v1, 0x1

    invoke-virtual {v0, v1}, Landroid/media/MediaRecorder;->setAudioSource(I)V

    return-object v0
.end method

.method public static camera()Landroid/hardware/Camera;
    .registers 1

    invoke-static {}, Landroid/hardware/Camera;->open()Landroid/hardware/Camera;

    move-result-object v0

    return-object v0
.end method
EOF

    emit smali/com/hegui/fixture/indirect/Native.smali <<'EOF'
.class public final Lcom/hegui/fixture/indirect/Native;
.super Ljava/lang/Object;
.source "Native.java"


.method static constructor <clinit>()V
    .registers 1

    const-string v0, "collect"

    invoke-static {v0}, Ljava/lang/System;->loadLibrary(Ljava/lang/String;)V

    return-void
.end method

.method public static native collect()I
.end method
EOF

    build_collect_lib
    build indirect
}

# libcollect.so for the host ABI (see build_native_lib): its constant strings
# name an identifier file, the app-list command, the serial-number property
# (read through an imported __system_property_get) and a Java privacy API for
# JNI (class and method name).
build_collect_lib() {
    local src="$WORK/collect" abi="$NATIVE_ABI"
    [[ -n "$abi" ]] || die "build_native_lib must run first"
    mkdir -p "$src" "$PROJ/lib/$abi"
    cat >"$src/libc_stub.c" <<'EOF'
#define API __attribute__((visibility("default")))
API int __system_property_get(const char *name, char *value) { (void)name; (void)value; return 0; }
API int open(const char *path, int flags) { (void)path; (void)flags; return -1; }
API void *popen(const char *command, const char *mode) { (void)command; (void)mode; return 0; }
EOF
    cat >"$src/collect.c" <<'EOF'
extern int __system_property_get(const char *name, char *value);
extern int open(const char *path, int flags);
extern void *popen(const char *command, const char *mode);

/* JNI names of a Java privacy API, as FindClass/GetMethodID would take them. */
const char *volatile jni_names[2];

/* JNI: com.hegui.fixture.indirect.Native.collect() */
__attribute__((visibility("default")))
int Java_com_hegui_fixture_indirect_Native_collect(void *env, void *clazz)
{
    char value[92];
    (void)env; (void)clazz;
    jni_names[0] = "android/telephony/TelephonyManager";
    jni_names[1] = "getDeviceId";
    popen("pm list packages", "r");
    return open("/sys/class/net/wlan0/address", 0)
        + __system_property_get("ro.serialno", value);
}
EOF
    # shellcheck disable=SC2054  # commas belong to -Wl, options
    local common=(-shared -fPIC -nostdlib -Os -fno-asynchronous-unwind-tables
        -fno-stack-protector -fvisibility=hidden -Wl,--hash-style=both
        -Wl,--build-id=none -Wl,-z,norelro -Wl,-z,noseparate-code -Wl,--strip-all)
    gcc "${common[@]}" -Wl,-soname,libc.so -o "$src/libc.so" "$src/libc_stub.c"
    gcc "${common[@]}" -Wl,-soname,libcollect.so -o "$PROJ/lib/$abi/libcollect.so" \
        "$src/collect.c" -L"$src" -Wl,--no-as-needed -l:libc.so
}

# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------
verify_all() {
    local apk entries
    for apk in "${BUILT[@]}"; do
        printf '\n### %s (%s bytes)\n' "${apk#"$ROOT"/}" "$(stat -c %s "$apk")"
        zipalign -c 4 "$apk" || die "zipalign check failed: $apk"
        apksigner verify --verbose --print-certs "$apk" \
            | grep -E '^(Verifie[sd]|Verified using|Number of signers|Signer #1 certificate (DN|SHA-256))' \
            || die "apksigner verify failed: $apk"
        if command -v aapt >/dev/null; then
            aapt dump badging "$apk" 2>/dev/null \
                | grep -E "^(package|sdkVersion|targetSdkVersion|uses-permission|application-label|launchable-activity)" || true
        fi
        entries="$(unzip -Z1 "$apk")"
        grep -qx classes.dex <<<"$entries" || die "$apk lacks classes.dex"
        printf 'entries: %s\n' "$(LC_ALL=C sort <<<"$entries" | tr '\n' ' ')"
    done
    entries="$(unzip -Z1 "$OUT/privacy-basic.apk")"
    grep -qx classes2.dex <<<"$entries" || die "privacy-basic.apk lacks classes2.dex"
    unzip -p "$OUT/packed.apk" "lib/$NATIVE_ABI/libhegui.so" >"$WORK/libhegui.so"
    printf '\n### lib/%s/libhegui.so in packed.apk\n' "$NATIVE_ABI"
    file -b "$WORK/libhegui.so" 2>/dev/null || true
    readelf -d --dyn-syms -W "$WORK/libhegui.so" \
        | grep -E 'NEEDED|SONAME|getifaddrs|Java_com_hegui_Native_hello' \
        || die "libhegui.so lacks the expected dynamic symbols"
}

# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
ensure_tools
ensure_key

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hegui-fixtures.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# apktool's Debian wrapper defaults to ~/.local/share/apktool/framework;
# install the framework into a private frame-path instead.
apktool -q if -p "$WORK/framework" "$FRAMEWORK_APK" >/dev/null

mkdir -p "$OUT"
BUILT=()
NATIVE_ABI=""
make_privacy_basic
make_clean
make_packed
make_indirect

log "tool versions: apktool $(apktool --version), apksigner $(apksigner --version), $(aapt version 2>/dev/null || echo 'aapt n/a'), $(gcc --version | head -n1)"
verify_all

printf '\nbuilt:\n'
for apk in "${BUILT[@]}"; do
    printf '  %-32s %6s bytes\n' "${apk#"$ROOT"/}" "$(stat -c %s "$apk")"
done
