import type { InstalledApp } from '@fleetops/protocol';
import { signingCertificateOf } from './certificates';
import type { DeviceModel, Vendor } from './models';

/** An app the simulator can install, with how popular it is (relative weight). */
export interface CatalogApp {
  app: InstalledApp;
  popularity: number;
}

type AppRow = [packageId: string, name: string, version: string, popularity: number];

const PLAY_STORE = 'com.android.vending';
const APP_GALLERY = 'com.huawei.appmarket';
const APP_STORE = 'com.apple.AppStore';

/** Google's own apps: only on phones with Google Mobile Services. */
const googleApps: AppRow[] = [
  ['com.android.chrome', 'Chrome', '131.0.6778.39', 10],
  ['com.google.android.gm', 'Gmail', '2024.11.03.694104017', 10],
  ['com.google.android.apps.maps', 'Maps', '11.155.0101', 10],
  ['com.google.android.youtube', 'YouTube', '19.45.38', 10],
  ['com.google.android.apps.docs', 'Drive', '2.24.447.0', 8],
  ['com.google.android.apps.photos', 'Photos', '7.6.0.694519318', 9],
  ['com.google.android.googlequicksearchbox', 'Google', '15.45.29.29', 9],
  ['com.google.android.apps.messaging', 'Messages', '20241104_00_RC00', 8],
  ['com.google.android.calendar', 'Calendar', '2024.44.0-691425410', 6],
  ['com.google.android.keep', 'Keep Notes', '5.24.442.03', 4],
  ['com.google.android.apps.tachyon', 'Meet', '246.0.688431290', 5],
  ['com.google.android.apps.docs.editors.docs', 'Docs', '1.24.442.00', 3],
  ['com.google.android.apps.docs.editors.sheets', 'Sheets', '1.24.442.00', 3],
  ['com.google.android.apps.docs.editors.slides', 'Slides', '1.24.442.00', 2],
  ['com.google.android.apps.translate', 'Translate', '8.14.56.687915127', 3],
  ['com.google.android.apps.walletnfcrefapp', 'Google Wallet', '24.45.690905428', 4],
  ['com.google.android.apps.bard', 'Gemini', '1.0.687052213', 3],
  ['com.google.android.apps.authenticator2', 'Google Authenticator', '7.0', 2],
  ['com.google.android.apps.subscriptions.red', 'Google One', '1.251.685484917', 2],
  ['com.google.android.apps.nbu.files', 'Files by Google', '1.5224.683917380.0-release', 4],
  ['com.google.android.apps.youtube.music', 'YouTube Music', '7.27.52', 6],
  ['com.google.android.apps.chromecast.app', 'Google Home', '3.24.1.4', 2],
];

/** Third-party apps found both on Google Play and on Huawei AppGallery. */
const storeApps: AppRow[] = [
  ['com.whatsapp', 'WhatsApp', '2.24.23.78', 10],
  ['com.whatsapp.w4b', 'WhatsApp Business', '2.24.23.78', 2],
  ['com.facebook.katana', 'Facebook', '490.0.0.58.73', 6],
  ['com.facebook.orca', 'Messenger', '486.0.0.51.109', 4.5],
  ['com.instagram.android', 'Instagram', '356.0.0.41.101', 6],
  ['com.instagram.barcelona', 'Threads', '357.0.0.35.92', 1.2],
  ['com.zhiliaoapp.musically', 'TikTok', '37.4.3', 4.5],
  ['com.snapchat.android', 'Snapchat', '13.17.0.45', 3],
  ['com.twitter.android', 'X', '10.68.0-release.0', 2.5],
  ['com.linkedin.android', 'LinkedIn', '4.1.1016', 3],
  ['org.telegram.messenger', 'Telegram', '11.4.2', 3],
  ['org.thoughtcrime.securesms', 'Signal', '7.24.2', 1.5],
  ['com.discord', 'Discord', '254.14 - Stable', 1.2],
  ['com.reddit.frontpage', 'Reddit', '2024.45.0', 1.5],
  ['com.pinterest', 'Pinterest', '12.45.0', 1.5],
  ['com.tencent.mm', 'WeChat', '8.0.54', 0.8],
  ['jp.naver.line.android', 'LINE', '14.19.1', 0.5],
  ['com.viber.voip', 'Viber', '24.6.0.1', 0.8],
  ['com.microsoft.teams', 'Microsoft Teams', '1416/1.0.0.2024213401', 5],
  ['com.microsoft.office.outlook', 'Outlook', '4.2445.1', 5.5],
  ['com.microsoft.office.word', 'Word', '16.0.18129.20120', 3],
  ['com.microsoft.office.excel', 'Excel', '16.0.18129.20120', 3],
  ['com.microsoft.office.powerpoint', 'PowerPoint', '16.0.18129.20120', 2],
  ['com.microsoft.skydrive', 'OneDrive', '7.20', 3],
  ['com.azure.authenticator', 'Microsoft Authenticator', '6.2411.7516', 4],
  ['com.microsoft.emmx', 'Microsoft Edge', '131.0.2903.48', 0.8],
  ['com.microsoft.copilot', 'Copilot', '29.1.420905002', 0.8],
  ['com.Slack', 'Slack', '24.11.10.0', 2.5],
  ['us.zoom.videomeetings', 'Zoom', '6.2.11.26107', 3.5],
  ['com.cisco.webex.meetings', 'Webex', '44.11.0', 0.8],
  ['com.dropbox.android', 'Dropbox', '393.2.2', 1.5],
  ['notion.id', 'Notion', '0.6.2444', 1],
  ['com.trello', 'Trello', '2024.18.1', 0.5],
  ['com.asana.app', 'Asana', '8.52.3', 0.4],
  ['com.atlassian.android.jira.core', 'Jira Cloud', '136.0.0', 0.6],
  ['com.salesforce.chatter', 'Salesforce', '252.020.0', 0.8],
  ['com.okta.android.auth', 'Okta Verify', '9.27.1', 1.5],
  ['com.duosecurity.duomobile', 'Duo Mobile', '4.71.0', 1.2],
  ['com.onepassword.android', '1Password', '8.10.52', 0.6],
  ['com.adobe.reader', 'Adobe Acrobat Reader', '24.10.0.36201', 3],
  ['com.docusign.ink', 'Docusign', '4.5.1', 0.8],
  ['com.evernote', 'Evernote', '10.111.2', 0.5],
  ['com.todoist', 'Todoist', '11406', 0.5],
  ['com.openai.chatgpt', 'ChatGPT', '1.2024.317', 2.5],
  ['com.amazon.mShop.android.shopping', 'Amazon Shopping', '28.22.0.100', 4.5],
  ['com.ebay.mobile', 'eBay', '6.185.0.5', 1.5],
  ['com.alibaba.aliexpresshd', 'AliExpress', '8.117.4', 1.5],
  ['com.einnovation.temu', 'Temu', '2.97.0', 3],
  ['com.zzkko', 'SHEIN', '12.5.2', 1.8],
  ['com.ubercab', 'Uber', '4.549.10000', 3.5],
  ['com.ubercab.eats', 'Uber Eats', '6.245.10000', 2],
  ['me.lyft.android', 'Lyft', '2024.45.3.1731020341', 0.8],
  ['ee.mtakso.client', 'Bolt', '118.0', 0.8],
  ['com.airbnb.android', 'Airbnb', '24.45', 1.2],
  ['com.booking', 'Booking.com', '50.3', 2],
  ['com.deliveroo.orderapp', 'Deliveroo', '3.226.0', 0.6],
  ['com.dd.doordash', 'DoorDash', '15.192.8', 0.8],
  ['com.paypal.android.p2pmobile', 'PayPal', '8.72.0', 3],
  ['com.revolut.revolut', 'Revolut', '10.58', 1.2],
  ['com.squareup.cash', 'Cash App', '4.61.0', 0.8],
  ['com.venmo', 'Venmo', '10.55.0', 0.6],
  ['com.transferwise.android', 'Wise', '8.89.0', 0.6],
  ['com.myklarnamobile', 'Klarna', '24.45.279', 0.6],
  ['com.chase.sig.android', 'Chase', '5.11.0', 0.6],
  ['com.infonow.bofa', 'Bank of America', '24.11.02', 0.5],
  ['co.uk.getmondo', 'Monzo', '6.58.0', 0.5],
  ['de.number26.android', 'N26', '4.48.0', 0.4],
  ['com.spotify.music', 'Spotify', '8.9.96.476', 5.5],
  ['com.netflix.mediaclient', 'Netflix', '8.137.0', 4.5],
  ['com.amazon.avod.thirdpartyclient', 'Prime Video', '3.0.389.2947', 2],
  ['com.disney.disneyplus', 'Disney+', '24.11.04.3', 1.5],
  ['com.audible.application', 'Audible', '3.80.0', 0.6],
  ['com.shazam.android', 'Shazam', '14.50.0-241031', 2],
  ['com.soundcloud.android', 'SoundCloud', '2024.11.04-release', 0.6],
  ['tv.twitch.android.app', 'Twitch', '20.7.1', 0.6],
  ['au.com.shiftyjelly.pocketcasts', 'Pocket Casts', '7.76', 0.3],
  ['com.waze', 'Waze', '4.106.0.3', 2],
  ['com.duolingo', 'Duolingo', '5.180.4', 2],
  ['com.strava', 'Strava', '380.9', 0.8],
  ['com.myfitnesspal.android', 'MyFitnessPal', '24.44.0', 0.6],
  ['com.truecaller', 'Truecaller', '14.40.6', 1.5],
  ['com.intsig.camscanner', 'CamScanner', '6.78.0.2411010000', 1],
  ['com.adobe.lrmobile', 'Lightroom', '10.0.2', 0.5],
  ['com.canva.editor', 'Canva', '2.287.0', 1.5],
  ['com.lemon.lvoverseas', 'CapCut', '13.1.0', 1.5],
  ['org.videolan.vlc', 'VLC', '3.6.0', 0.6],
  ['org.mozilla.firefox', 'Firefox', '132.0.2', 0.8],
  ['com.opera.browser', 'Opera', '85.4.4506.82211', 0.5],
  ['com.brave.browser', 'Brave', '1.71.123', 0.5],
  ['com.duckduckgo.mobile.android', 'DuckDuckGo', '5.219.0', 0.5],
  ['ch.protonmail.android', 'Proton Mail', '4.6.0', 0.5],
  ['ch.protonvpn.android', 'Proton VPN', '5.7.35.0', 0.4],
  ['com.nordvpn.android', 'NordVPN', '6.34.2', 0.4],
  ['com.accuweather.android', 'AccuWeather', '20.9.0-2', 0.8],
  ['com.citymapper.app.release', 'Citymapper', '11.53', 0.4],
  ['com.thetrainline', 'Trainline', '274.0.0.118823', 0.4],
  ['com.king.candycrushsaga', 'Candy Crush Saga', '1.290.0.2', 1.2],
  ['com.kiloo.subwaysurf', 'Subway Surfers', '3.38.0', 1],
  ['com.roblox.client', 'Roblox', '2.650.699', 1],
  ['com.supercell.clashofclans', 'Clash of Clans', '16.517.13', 0.8],
  ['com.tencent.ig', 'PUBG MOBILE', '3.4.0', 0.8],
  ['com.nianticlabs.pokemongo', 'Pokémon GO', '0.335.0', 0.5],
  ['com.dreamgames.royalmatch', 'Royal Match', '24961', 0.6],
  ['com.eg.android.AlipayGphone', 'Alipay', '10.6.50.8000', 0.5],
];

/** Apps the phone maker preinstalls, updated from its own storefront. */
const oemApps: Partial<Record<Vendor, { installer: string; apps: AppRow[] }>> = {
  samsung: {
    installer: 'com.sec.android.app.samsungapps',
    apps: [
      ['com.samsung.android.app.notes', 'Samsung Notes', '4.4.26.45', 10],
      ['com.sec.android.app.sbrowser', 'Samsung Internet', '26.0.3.1', 10],
      ['com.sec.android.app.shealth', 'Samsung Health', '6.28.5.001', 8],
      ['com.samsung.android.voc', 'Samsung Members', '5.0.00.11', 8],
      ['com.samsung.android.spay', 'Samsung Wallet', '6.0.67', 7],
      ['com.samsung.android.oneconnect', 'SmartThings', '1.8.22.21', 7],
      ['com.samsung.android.app.watchmanager', 'Galaxy Wearable', '2.2.60.24102861', 3],
      ['com.samsung.android.calendar', 'Samsung Calendar', '12.5.05.4', 9],
    ],
  },
  xiaomi: {
    installer: 'com.xiaomi.mipicks',
    apps: [
      ['com.mi.globalbrowser', 'Mi Browser', '14.29.0-gn', 10],
      ['com.miui.securitycenter', 'Security', '9.9.9-241029.0.1', 10],
      ['com.android.thememanager', 'Themes', '4.0.8.1-global', 9],
      ['com.miui.videoplayer', 'Mi Video', 'v2024102890(MiVideo-UN)', 8],
      ['com.miui.notes', 'Notes', '4.28.0', 9],
      ['com.duokan.phone.remotecontroller', 'Mi Remote', '6.8.1G', 4],
    ],
  },
  huawei: {
    installer: APP_GALLERY,
    apps: [
      ['com.huawei.browser', 'Huawei Browser', '15.0.4.311', 10],
      ['com.huawei.maps.app', 'Petal Maps', '4.5.0.304', 8],
      ['com.huawei.health', 'Huawei Health', '15.0.2.320', 9],
      ['com.huawei.android.thememanager', 'Themes', '14.0.0.306', 9],
      ['com.huawei.hwsearch', 'Petal Search', '12.7.0.300', 6],
      ['com.huawei.hwid', 'HMS Core', '6.15.0.322', 10],
    ],
  },
  oppo: {
    installer: 'com.heytap.market',
    apps: [
      ['com.heytap.browser', 'Browser', '45.11.4.1', 10],
      ['com.coloros.weather2', 'Weather', '15.3.0', 9],
      ['com.coloros.gallery3d', 'Photos', '15.8.12', 10],
      ['com.oppo.store', 'OPPO Store', '4.23.0', 5],
    ],
  },
  vivo: {
    installer: 'com.bbk.appstore',
    apps: [
      ['com.vivo.browser', 'vivo Browser', '13.6.4.0', 10],
      ['com.vivo.easyshare', 'EasyShare', '6.6.3.5', 8],
      ['com.iqoo.secure', 'i Manager', '9.8.6.4', 10],
      ['com.vivo.weather', 'Weather', '6.3.3.8', 9],
    ],
  },
  oneplus: {
    installer: PLAY_STORE,
    apps: [
      ['com.oneplus.note', 'OnePlus Notes', '14.8.1', 9],
      ['com.oneplus.member', 'OnePlus Community', '5.9.2', 5],
    ],
  },
  motorola: {
    installer: PLAY_STORE,
    apps: [
      ['com.motorola.moto', 'Moto', '12.0.0.64', 10],
      ['com.motorola.gamemode', 'Moto Gametime', '10.0.12', 6],
    ],
  },
};

const iosApps: AppRow[] = [
  ['net.whatsapp.WhatsApp', 'WhatsApp', '24.22.79', 10],
  ['com.facebook.Facebook', 'Facebook', '490.0.0', 6],
  ['com.facebook.Messenger', 'Messenger', '486.0.0', 4.5],
  ['com.burbn.instagram', 'Instagram', '356.0.0', 6.5],
  ['com.burbn.barcelona', 'Threads', '357.0.0', 1.5],
  ['com.zhiliaoapp.musically', 'TikTok', '37.4.0', 4.5],
  ['com.toyopagroup.picaboo', 'Snapchat', '13.17.0', 3.5],
  ['com.atebits.Tweetie2', 'X', '10.68', 2.5],
  ['com.linkedin.LinkedIn', 'LinkedIn', '9.31.2290', 3],
  ['ph.telegra.Telegraph', 'Telegram', '11.4', 2.5],
  ['org.whispersystems.signal', 'Signal', '7.34', 1.5],
  ['com.hammerandchisel.discord', 'Discord', '254.0', 1.2],
  ['com.reddit.Reddit', 'Reddit', '2024.45.0', 1.5],
  ['pinterest', 'Pinterest', '12.45', 1.5],
  ['com.tencent.xin', 'WeChat', '8.0.54', 0.8],
  ['com.microsoft.skype.teams', 'Microsoft Teams', '6.24.2', 5],
  ['com.microsoft.Office.Outlook', 'Outlook', '4.2445.0', 5.5],
  ['com.microsoft.Office.Word', 'Word', '2.91', 3],
  ['com.microsoft.Office.Excel', 'Excel', '2.91', 3],
  ['com.microsoft.skydrive', 'OneDrive', '15.24.2', 3],
  ['com.microsoft.azureauthenticator', 'Authenticator', '6.8.17', 4],
  ['com.tinyspeck.chatlyio', 'Slack', '24.11.10', 3],
  ['us.zoom.videomeetings', 'Zoom', '6.2.11', 3.5],
  ['com.getdropbox.Dropbox', 'Dropbox', '393.2', 1.5],
  ['notion.id', 'Notion', '1.7.80', 1],
  ['com.okta.mobile', 'Okta Verify', '9.28.0', 1.5],
  ['com.duosecurity.DuoMobile', 'Duo Mobile', '4.71.0', 1.2],
  ['com.google.Gmail', 'Gmail', '6.0.241104', 5],
  ['com.google.Maps', 'Google Maps', '6.136.2', 5],
  ['com.google.ios.youtube', 'YouTube', '19.45.4', 7],
  ['com.google.chrome.ios', 'Chrome', '131.0.6778.73', 5],
  ['com.google.Drive', 'Google Drive', '4.2024.44200', 3],
  ['com.google.GoogleMobile', 'Google', '344.0', 3],
  ['com.google.Authenticator', 'Google Authenticator', '4.2.1', 1.5],
  ['com.amazon.Amazon', 'Amazon Shopping', '24.22.0', 4.5],
  ['com.ebay.iphone', 'eBay', '6.185.0', 1.5],
  ['com.ubercab.UberClient', 'Uber', '3.643.10001', 3.5],
  ['com.ubercab.UberEats', 'Uber Eats', '6.246.10001', 2],
  ['com.airbnb.app', 'Airbnb', '24.45', 1.5],
  ['com.booking.BookingApp', 'Booking.com', '50.3', 2],
  ['com.yourcompany.PPClient', 'PayPal', '8.72.0', 3],
  ['com.revolut.revolut', 'Revolut', '10.58', 1.2],
  ['com.spotify.client', 'Spotify', '8.9.96', 5.5],
  ['com.netflix.Netflix', 'Netflix', '16.51.0', 4.5],
  ['com.amazon.aiv.AIVApp', 'Prime Video', '11.9.2', 2],
  ['com.disney.disneyplus', 'Disney+', '24.11.04', 1.5],
  ['com.shazam.Shazam', 'Shazam', '18.4', 2],
  ['com.waze.iphone', 'Waze', '4.106.0', 2],
  ['com.duolingo.DuolingoMobile', 'Duolingo', '7.61.0', 2],
  ['com.openai.chat', 'ChatGPT', '1.2024.317', 2.5],
  ['com.adobe.Adobe-Reader', 'Adobe Acrobat Reader', '24.10.01', 3],
  ['com.canva.canvaeditor', 'Canva', '2.287.0', 1.5],
  ['com.king.candycrushsaga', 'Candy Crush Saga', '1.290.0', 1.2],
  ['com.roblox.robloxmobile', 'Roblox', '2.650.699', 1],
  ['com.strava.stravaride', 'Strava', '380.0', 0.8],
  ['com.apple.Pages', 'Pages', '14.2', 3],
  ['com.apple.Numbers', 'Numbers', '14.2', 2.5],
  ['com.apple.Keynote', 'Keynote', '14.2', 2.5],
  ['com.apple.mobilegarageband', 'GarageBand', '2.3.15', 1.5],
  ['com.apple.iMovie', 'iMovie', '3.5.2', 1.5],
];

/**
 * Android apps carry the digest of their signing certificate; iOS reports none for App Store apps,
 * which Apple signs itself.
 */
function toCatalog(rows: AppRow[], installer: string): CatalogApp[] {
  const signed = installer !== APP_STORE;
  return rows.map(([packageId, name, version, popularity]) => ({
    app: {
      packageId,
      name,
      version,
      installer,
      certificate: signed ? signingCertificateOf(packageId) : null,
    },
    popularity,
  }));
}

const poolCache = new Map<string, readonly CatalogApp[]>();

/**
 * The apps a phone of this model can have, each with its popularity. The same model gets the same
 * (shared, immutable) app objects, so a large fleet holds one copy of each app.
 */
export function appPoolFor(model: DeviceModel): readonly CatalogApp[] {
  const key = `${model.os}/${model.vendor}/${model.gms}`;
  const cached = poolCache.get(key);
  if (cached) return cached;
  let pool: CatalogApp[];
  if (model.os === 'ios') {
    pool = toCatalog(iosApps, APP_STORE);
  } else {
    const oem = oemApps[model.vendor];
    pool = [
      ...(model.gms ? toCatalog(googleApps, PLAY_STORE) : []),
      ...toCatalog(storeApps, model.gms ? PLAY_STORE : APP_GALLERY),
      ...(oem ? toCatalog(oem.apps, oem.installer) : []),
    ];
  }
  poolCache.set(key, pool);
  return pool;
}
